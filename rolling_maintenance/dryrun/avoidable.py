"""Count the moves a plan could have spared, checked apart from the planner.

A move to a host not maintained yet means the instance will move again. It
was avoidable when, at that point of the round, some maintained or
out-of-scope enabled host had room for it and held no member of its
anti-affinity group.
"""

from rolling_maintenance.planner.model.snapshot import parse_snapshot


def _could_stay_put(snapshot, instance, safe):
    group = snapshot.groups.get(instance.group_id) if instance.group_id else None
    taken = set()
    if group is not None and group.policy == "anti-affinity":
        taken = {m.host for m in snapshot.by_group[group.group_id] if m.host is not None}
    for name in safe:
        vcpus, ram_mb = snapshot.free(name)
        if vcpus >= instance.vcpus and ram_mb >= instance.ram_mb and name not in taken:
            return True
    return False


def avoidable_migrations(inventory, rounds, hosts=()):
    """How many moves of `rounds` went to an unmaintained host while a safe one had room."""
    snapshot = parse_snapshot(inventory)
    scope = set(hosts) if hosts else set(snapshot.hosts)
    safe = {n for n, h in snapshot.hosts.items() if h.enabled and n not in scope}
    count = 0
    for one in rounds:
        for move in one["moves"]:
            if move["to"] not in safe and _could_stay_put(snapshot, snapshot.instances[move["instance"]], safe):
                count += 1
            snapshot.move(move["instance"], move["to"])
        safe.update(one["hosts"])
    return count
