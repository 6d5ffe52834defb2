"""When no round can be built onto the safe targets: one host emptied onto
any host that may take it (what lands on a host not maintained yet moves
again later), by best fit, else by the solver. Only when the solver proves
that no host left can be emptied does the session ask for a scale-in; an
instance or group that no plan can move is named.
"""

import time

from rolling_maintenance.planner.model.wording import plural
from rolling_maintenance.planner.placement.evacuation import blocks_on
from rolling_maintenance.planner.placement.host_choice import FreeRoom
from rolling_maintenance.planner.placement.nowhere import fits_nowhere
from rolling_maintenance.planner.placement.solver_placement import placement_moves, solve_emptying
from rolling_maintenance.planner.placement.target_pool import TargetPool

# Seconds the solver may spend over all the hosts of one decision, and on one host.
SOLVER_BUDGET_S = 20.0
SOLVER_PER_HOST_S = 2.0


def usable_targets(snapshot, progress):
    """Hosts that may take instances: maintained ones and the enabled ones."""
    maintained = set(progress.maintained)
    return sorted(n for n, h in snapshot.hosts.items() if h.enabled or n in maintained)


class Proof:
    """What the solver established when it found no host to empty."""

    __slots__ = ("nowhere", "proved", "tried", "untried")

    def __init__(self, proved, tried, untried, nowhere):
        self.proved = proved
        self.tried = tried
        self.untried = untried
        self.nowhere = nowhere

    def text(self):
        if self.nowhere:
            return "the cloud cannot be maintained as it is: %s" % "; ".join(self.nowhere)
        if self.proved:
            return ("it is proved (by the room left or by the solver) that none of the %s left "
                    "can be emptied onto the others" % plural(self.tried, "host"))
        return ("the solver found no way to empty any of the %s left within its time limit, "
                "without proving that there is none" % plural(self.tried + self.untried, "host"))


def _too_little_room(snapshot, host, room):
    """Whether arithmetic alone proves `host` cannot be emptied: the others
    have too little room in total, or one of its instances (an affinity
    group's members on it together) fits in no other host's room."""
    need_vcpus, need_ram_mb = snapshot.used[host]
    have_vcpus, have_ram_mb = room.total_without(host)
    if need_vcpus > have_vcpus or need_ram_mb > have_ram_mb:
        return True
    return any(not room.fits_somewhere(b.vcpus, b.ram_mb) for b in blocks_on(snapshot, host))


def solver_round(snapshot, candidates, progress, safe, default_type, skip, budget_s=None):
    """`(host, moves, None)` for the cheapest candidate the solver can
    empty onto the usable targets (as many instances as it can onto `safe`
    hosts), or `(None, [], Proof)`. `skip(host)`: why a host may not be
    emptied now (recovering, never impactable), or None."""
    targets = usable_targets(snapshot, progress)
    room = FreeRoom(TargetPool({n: snapshot.free(n) for n in targets}))
    order = sorted(candidates, key=lambda h: (snapshot.used[h][1], len(snapshot.by_host[h]), h))
    deadline = time.monotonic() + (SOLVER_BUDGET_S if budget_s is None else budget_s)
    tried, all_proved = 0, True
    for index, host in enumerate(order):
        if skip(host) is not None:
            all_proved = False
            continue
        if _too_little_room(snapshot, host, room):
            tried += 1
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            return None, [], Proof(False, tried, len(order) - index, [])
        emptying = solve_emptying(snapshot, host, targets, safe, min(SOLVER_PER_HOST_S, left))
        tried += 1
        if emptying.placement is not None:
            return host, placement_moves(snapshot, host, emptying.placement, default_type), None
        all_proved = all_proved and emptying.proved
    return None, [], Proof(all_proved, tried, 0, fits_nowhere(snapshot, progress.scope))
