"""Where the instances of one host go when it is emptied.

Capacity is vcpus and ram at allocation ratio 1.0, counting the moves
already planned in the step. Hard group policies are kept (anti-affinity:
never two members on a host; affinity: the members on the host move
together, to the host of any other member); soft ones only order the
choice. Biggest first, each to the fullest host that fits, ties by name.
"""

from rolling_maintenance.planner.model.wording import size
from rolling_maintenance.planner.placement.move_types import move_type


class Block:
    """Instances that must land on one host together (an affinity group
    on the host being emptied), or a single instance."""

    __slots__ = ("group", "instances", "ram_mb", "together", "vcpus")

    def __init__(self, instances, group):
        self.instances = instances
        self.vcpus = sum(i.vcpus for i in instances)
        self.ram_mb = sum(i.ram_mb for i in instances)
        self.group = group
        self.together = len(instances) > 1

    @property
    def policy(self):
        return self.group.policy if self.group is not None else None

    def describe(self):
        if self.together:
            return "affinity group %s (%s: %s together)" % (
                self.group.group_id, ", ".join(i.id for i in self.instances), size(self.vcpus, self.ram_mb))
        instance = self.instances[0]
        return "instance %s of project %s (%s)" % (
            instance.id, instance.project_id, size(self.vcpus, self.ram_mb))


def biggest_first(block):
    """Sort key: ram, then vcpus, descending, then the first instance's id."""
    return (-block.ram_mb, -block.vcpus, block.instances[0].id)


def blocks_on(snapshot, host):
    """The blocks to move off `host`, biggest first (ram, then vcpus), then by id."""
    affinity, blocks = {}, []
    for instance in snapshot.by_host[host]:
        group = snapshot.groups.get(instance.group_id) if instance.group_id is not None else None
        if group is not None and group.policy == "affinity":
            affinity.setdefault(group.group_id, []).append(instance)
        else:
            blocks.append(Block([instance], group))
    blocks.extend(Block(members, snapshot.groups[gid]) for gid, members in affinity.items())
    blocks.sort(key=biggest_first)
    return blocks


class Stuck:
    """Why a host cannot be emptied: the first block with no target."""

    __slots__ = ("block", "cause", "host")

    def __init__(self, host, block, cause):
        self.host = host
        self.block = block
        self.cause = cause

    def describe(self):
        return "%s fits on no target: %s" % (self.block.describe(), self.cause)


class _Members:
    """Members of groups per host as the trial goes: the snapshot's, except
    those on the hosts being emptied, plus the moves planned so far."""

    def __init__(self, snapshot, sources):
        self._snapshot = snapshot
        self._sources = sources
        self._counts = {}

    def counts(self, group_id):
        counts = self._counts.get(group_id)
        if counts is None:
            counts = self._snapshot.members_per_host(group_id)
            for source in self._sources:
                counts.pop(source, None)
            self._counts[group_id] = counts
        return counts

    def add(self, group_id, host, number):
        counts = self.counts(group_id)
        counts[host] = counts.get(host, 0) + number


def _affinity_target(block, pool, members):
    others = sorted(members.counts(block.group.group_id))
    if not others:
        return pool.best_fit(block.vcpus, block.ram_mb), None
    if len(others) > 1:
        return None, "the other members of affinity group %s are already split over %s" % (
            block.group.group_id, ", ".join(others))
    (host,) = others
    most = block.group.raw.get("max_instances_per_host")
    if most is not None and members.counts(block.group.group_id)[host] + len(block.instances) > most:
        return None, "affinity group %s may have at most %d members on a host" % (block.group.group_id, most)
    if host not in pool:
        return None, "the rest of affinity group %s is on %s, which is not a target" % (
            block.group.group_id, host)
    if not pool.fits(host, block.vcpus, block.ram_mb):
        free_vcpus, free_ram_mb = pool.free(host)
        return None, "the rest of affinity group %s is on %s, which has %s free" % (
            block.group.group_id, host, size(free_vcpus, free_ram_mb))
    return host, None


def _target(block, pool, members):
    """`(host, None)` or `(None, cause)`."""
    policy = block.policy
    vcpus, ram_mb = block.vcpus, block.ram_mb
    if policy == "affinity":
        return _affinity_target(block, pool, members)
    if policy is None:
        host = pool.best_fit(vcpus, ram_mb)
    else:
        group_id = block.group.group_id
        counts = members.counts(group_id)
        most = block.group.raw.get("max_instances_per_host")
        below = counts if most is None else [h for h in counts if counts[h] < most]
        if policy == "soft-affinity":
            host = (pool.best_fit_among(below, vcpus, ram_mb, rank=lambda h: -counts[h])
                    or pool.best_fit(vcpus, ram_mb, allowed=lambda h: not counts.get(h)))
        else:
            host = pool.best_fit(vcpus, ram_mb, allowed=lambda h: not counts.get(h))
            if host is None and policy == "soft-anti-affinity":
                host = pool.best_fit_among(below, vcpus, ram_mb, rank=lambda h: counts[h])
    if host is not None:
        return host, None
    if len(pool) == 0:
        return None, "there is no target host"
    if pool.best_fit(vcpus, ram_mb) is not None:
        if policy in ("soft-affinity", "soft-anti-affinity"):
            return None, "group %s has its most members per host on every target with room" % (
                block.group.group_id)
        return None, "anti-affinity group %s has a member on every target with room" % block.group.group_id
    return None, "no target has %s free" % size(vcpus, ram_mb)


def evacuate(snapshot, source, pool, default_type, blocks=None):
    """Plan the moves that empty `source` onto the hosts of `pool`.

    Returns `(moves, None)`, or `(None, Stuck)`. A trial: the pool is left
    as it was found (`source` is no target even when the pool holds it).
    """
    if blocks is None:
        blocks = blocks_on(snapshot, source)
    return _place(snapshot, [source], [(source, block) for block in blocks], pool, default_type)


def evacuate_together(snapshot, sources, pool, default_type):
    """Plan the moves that empty every host of `sources` at once: their
    blocks all together, biggest first, each to the fullest target that
    fits. Packed together, small instances of one host fill the gaps big
    ones of another leave, where host after host the first hosts' gaps stay
    unfilled. Same result and trial as `evacuate`."""
    placed = [(source, block) for source in sources for block in blocks_on(snapshot, source)]
    placed.sort(key=lambda pair: biggest_first(pair[1]))
    return _place(snapshot, sources, placed, pool, default_type)


def _place(snapshot, sources, blocks, pool, default_type):
    """`(moves, None)` or `(None, Stuck)` for `blocks`, `[(source, Block)]`
    in the order placed; the pool is left as it was found."""
    mark = pool.mark()
    try:
        for source in sources:
            if source in pool:
                pool.withdraw(source)
        members = _Members(snapshot, sources)
        moves = []
        for source, block in blocks:
            target, cause = _target(block, pool, members)
            if target is None:
                return None, Stuck(source, block, cause)
            pool.take(target, block.vcpus, block.ram_mb)
            if block.group is not None:
                members.add(block.group.group_id, target, len(block.instances))
            moves.extend({
                "instance": instance.id,
                "project_id": instance.project_id,
                "from": source,
                "to": target,
                "type": move_type(instance, default_type, block.together),
            } for instance in block.instances)
        return moves, None
    finally:
        pool.rollback(mark)
