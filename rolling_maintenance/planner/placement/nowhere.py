"""Instances that can never leave their host, whatever moves first: the
cloud cannot be maintained as it is, and the answer names them and why.

Three facts hold for any plan: an instance needs a host (other than its
own) whose whole size is enough for it; while a host of an anti-affinity
group is emptied, its members (at most c on a host) need hosts other than
that one, each big enough for the member it holds; the members of an affinity group already split over several hosts
can never be moved together onto one.
"""

import math

from rolling_maintenance.planner.model.wording import size
from rolling_maintenance.planner.placement.solver_placement import capped_members


def _usable(snapshot, scope):
    in_scope = set(scope)
    return [h for n, h in snapshot.hosts.items() if h.enabled or n in in_scope]


class _Sizes:
    """The usable hosts by size, so "how many hosts can hold this?" costs
    the number of distinct sizes, not of hosts."""

    def __init__(self, usable):
        self.counts = {}
        for host in usable:
            key = (host.vcpus, host.ram_mb)
            self.counts[key] = self.counts.get(key, 0) + 1

    def holding(self, vcpus, ram_mb):
        return sum(n for (v, r), n in self.counts.items() if v >= vcpus and r >= ram_mb)


def _too_big(snapshot, instance, usable, sizes):
    own = snapshot.hosts[instance.host]
    mine = 1 if (own.vcpus, own.ram_mb) in sizes.counts and own.vcpus >= instance.vcpus \
        and own.ram_mb >= instance.ram_mb else 0
    if sizes.holding(instance.vcpus, instance.ram_mb) - mine > 0:
        return None
    others = [h for h in usable if h.name != instance.host]
    if not others:
        return "instance %s of project %s (%s) fits nowhere: there is no other host" % (
            instance.id, instance.project_id, size(instance.vcpus, instance.ram_mb))
    largest = max(others, key=lambda h: (h.ram_mb, h.vcpus, h.name))
    return "instance %s of project %s (%s) on %s fits on no other host: the largest, %s, has %s" % (
        instance.id, instance.project_id, size(instance.vcpus, instance.ram_mb), instance.host,
        largest.name, size(largest.vcpus, largest.ram_mb))


def _group_problem(snapshot, group, usable, scope, sizes):
    members = [m for m in snapshot.by_group.get(group.group_id, []) if m.host is not None]
    if not members:
        return None
    if group.policy == "affinity":
        hosts = sorted({m.host for m in members})
        if len(hosts) > 1 and any(h in scope for h in hosts):
            return "affinity group %s is split over %s: its members can never move together" % (
                group.group_id, ", ".join(hosts))
        return None
    most = capped_members(group) if group.policy == "anti-affinity" else None
    if most is None:
        return None
    # Hall's condition: when each member has room on one host more than the
    # group needs, any host may be out and the members still fit.
    if min(sizes.holding(m.vcpus, m.ram_mb) for m in members) > math.ceil(len(members) / most):
        return None
    for out in sorted({m.host for m in members if m.host in scope}):
        if not _spread(members, [h for h in usable if h.name != out], most):
            return ("anti-affinity group %s has %d members (%s), at most %d on a host: while %s is "
                    "emptied they fit on no %d of the other hosts") % (
                group.group_id, len(members), ", ".join(m.id for m in members), most, out,
                math.ceil(len(members) / most))
    return None


def _spread(members, hosts, most):
    """Whether the members fit on `hosts`, at most `most` on one, each on a
    host whose whole size holds it (a matching, found by augmenting paths)."""
    able = {m.id: [h.name for h in hosts if h.vcpus >= m.vcpus and h.ram_mb >= m.ram_mb] for m in members}
    holders = {}

    def place(member, seen):
        for name in able[member]:
            if name in seen:
                continue
            seen.add(name)
            here = holders.setdefault(name, [])
            if len(here) < most:
                here.append(member)
                return True
            for other in list(here):
                if place(other, seen):
                    here.remove(other)
                    here.append(member)
                    return True
        return False

    return all(place(m.id, set()) for m in members)


def fits_nowhere(snapshot, scope):
    """Messages naming every instance (or group) of the hosts in `scope`
    that no plan can move; [] when there is none."""
    usable = _usable(snapshot, scope)
    sizes = _Sizes(usable)
    in_scope = set(scope)
    found = []
    for name in sorted(in_scope):
        for instance in snapshot.by_host[name]:
            why = _too_big(snapshot, instance, usable, sizes)
            if why is not None:
                found.append(why)
    for group in snapshot.groups.values():
        why = _group_problem(snapshot, group, usable, in_scope, sizes)
        if why is not None:
            found.append(why)
    return found
