"""What must hold in the cloud at every moment of a session.

Tests of the whole system check these on each state of the simulated cloud;
the planner keeps them for every move it plans.
"""

from rolling_maintenance.planner.snapshot import parse_snapshot


def _capacity_violations(snap):
    found = []
    for name, host in snap.hosts.items():
        vcpus, ram_mb = snap.used[name]
        if vcpus > host.vcpus:
            found.append("host %s: %d vcpus used of %d" % (name, vcpus, host.vcpus))
        if ram_mb > host.ram_mb:
            found.append("host %s: %d MB ram used of %d MB" % (name, ram_mb, host.ram_mb))
    return found


def _group_violations(snap):
    found = []
    for group_id, group in snap.groups.items():
        if group.policy not in ("anti-affinity", "affinity"):
            continue
        placed = {}
        for member in snap.by_group.get(group_id, ()):
            if member.host is not None:
                placed.setdefault(member.host, []).append(member.id)
        if group.policy == "anti-affinity":
            found.extend("anti-affinity group %s: %s share host %s" % (group_id, ", ".join(ids), host)
                         for host, ids in sorted(placed.items()) if len(ids) > 1)
        elif len(placed) > 1:
            where = "; ".join("%s on %s" % (", ".join(ids), host) for host, ids in sorted(placed.items()))
            found.append("affinity group %s: members on %d hosts (%s)" % (group_id, len(placed), where))
    return found


def check_invariants(snapshot):
    """Violations in a snapshot dict: hosts over capacity (vcpus or ram),
    anti-affinity members sharing a host, affinity members on several hosts.
    An empty list when all holds. Raises `InvalidInput` if it cannot be read.
    """
    snap = parse_snapshot(snapshot)
    return _capacity_violations(snap) + _group_violations(snap)
