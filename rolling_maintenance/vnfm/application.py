"""The tenant application the sample VNFM runs: an ACT-STDBY pair plus scalable extras.

This is the bookkeeping only (which instance is active, which extras exist,
how many there should be); the VNFM does the cloud calls and tells it what
happened. Role changes are logged with the time they took effect, so the
audit's availability rule can hold the cloud's event log against them.
"""

import threading


class Application:
    """Instances and roles of one application.

    `pair` are the two instances of the anti-affinity group, `extras` the
    non-redundant instances oldest first, `clock` a callable giving the time
    to log role changes with.
    """

    def __init__(self, pair, extras, clock, active=None):
        pair = list(pair)
        if len(pair) > 2:
            raise ValueError("an ACT-STDBY pair has at most 2 instances, got %d: %s"
                             % (len(pair), ", ".join(pair)))
        if active is not None and active not in pair:
            raise ValueError("active instance %s is not a pair member (%s)"
                             % (active, ", ".join(pair) or "no pair"))
        self._lock = threading.RLock()
        self.clock = clock
        self.pair = pair
        self.extras = list(extras)
        self.target_extras = len(self.extras)
        self.active = active if active is not None else (pair[0] if pair else None)
        self.role_log = []
        self.switches = []
        self.leaving = set()
        if self.active is not None:
            self.role_log.append((self.clock(), self.active))

    @property
    def standby(self):
        with self._lock:
            others = [member for member in self.pair if member != self.active]
            return others[0] if others else None

    def is_pair_member(self, instance_id):
        return instance_id in self.pair

    def switch_away_from(self, leaving, reason=None):
        """Keep the active role off the instances about to move.

        `leaving` lists the instances the session will move, in the order
        it moves them (a member of the pair listed after the other moves
        only once that one has moved and recovered). The standby becomes
        active when the active leaves and the standby stays, or when both
        leave and the active goes first; `moved` switches back in time.
        Returns the switch record, or None.
        """
        order = list(leaving)
        with self._lock:
            self.leaving = set(order)
            standby = self.standby
            if self.active not in self.leaving or standby is None:
                return None
            if standby in self.leaving and order.index(standby) < order.index(self.active):
                return None
            return self._switch_to(standby, reason)

    def moved(self, instance_ids, reason=None):
        """The session moved these instances: once the standby has moved
        and the active has not, the standby takes over before the active
        moves. Returns the switch record, or None."""
        with self._lock:
            self.leaving -= set(instance_ids)
            standby = self.standby
            if self.active in self.leaving and standby is not None and standby not in self.leaving:
                return self._switch_to(standby, reason)
            return None

    def _switch_to(self, standby, reason):
        t = self.clock()
        record = {"t": t, "from": self.active, "to": standby, "reason": reason}
        self.active = standby
        self.role_log.append((t, standby))
        self.switches.append(record)
        return record

    def newest_extra(self):
        with self._lock:
            return self.extras[-1] if self.extras else None

    def missing_extras(self):
        """How many extras to create to be back at full size."""
        with self._lock:
            return max(0, self.target_extras - len(self.extras))

    def extra_removed(self, instance_id):
        with self._lock:
            if instance_id in self.extras:
                self.extras.remove(instance_id)

    def extra_added(self, instance_id):
        with self._lock:
            self.extras.append(instance_id)

    def instance_ids(self):
        with self._lock:
            return list(self.pair) + list(self.extras)
