"""A lower bound on the time any plan needs, computed without the planner.

Three facts hold for every plan that keeps capacity, whatever its order:

Room counts on the enabled hosts and on every host in scope (a disabled
host is enabled again once maintained; counting its room from the start
only lowers the bound).

1. A host in maintenance is empty, so at any moment the hosts in
   maintenance fit in the spare room: at most S of them, S being the most
   hosts in scope whose sizes (the smallest ones, vcpus and ram taken
   separately) add up to no more than the free room. H
   maintenances of equal length M on S parallel slots take at least
   ceil(H / S) * M, and none starts before the first non-empty host could
   be emptied (its moves, one after the other, at their fastest) unless
   some host is empty already.
2. The busiest host: its moves one after the other, then its maintenance.
3. Room over time: at every moment the hosts in maintenance (their whole
   size) and the instances in flight (counted twice, on source and target)
   use the free room F, so F * T >= sum(host size * M) + sum(instance size
   * its fastest move), for ram and for vcpus.
The bound is the largest of the three.
"""

import math

from rolling_maintenance.planner.duration import fastest_move_s, read_timing
from rolling_maintenance.planner.snapshot import parse_snapshot


def _usable(snapshot, scope):
    """Hosts whose room a plan may use: the enabled ones, and those in
    scope (a disabled host is enabled again once maintained)."""
    in_scope = set(scope)
    return [n for n, h in snapshot.hosts.items() if h.enabled or n in in_scope]


def most_empty_at_once(snapshot, scope):
    """S of fact 1; 0 when not even one host can be empty."""
    usable = _usable(snapshot, scope)
    free_vcpus = sum(snapshot.hosts[n].vcpus - snapshot.used[n][0] for n in usable)
    free_ram_mb = sum(snapshot.hosts[n].ram_mb - snapshot.used[n][1] for n in usable)
    hosts = [snapshot.hosts[n] for n in scope]
    count = 0
    for vcpus, ram_mb in zip(sorted(h.vcpus for h in hosts), sorted(h.ram_mb for h in hosts), strict=True):
        free_vcpus -= vcpus
        free_ram_mb -= ram_mb
        if free_vcpus < 0 or free_ram_mb < 0:
            break
        count += 1
    return count


def lower_bound_s(inventory, hosts=()):
    """Seconds no plan of `inventory` can beat (in-scope `hosts`, all when
    empty); None when no host can ever be empty (nothing can be planned)."""
    snapshot = parse_snapshot(inventory)
    timing = read_timing(snapshot.raw.get("timing"))
    scope = sorted(hosts) if hosts else sorted(snapshot.hosts)
    if not scope:
        return 0.0
    slots = most_empty_at_once(snapshot, scope)
    if slots == 0:
        return None
    upkeep = timing.host_maintenance_s
    evacuation = {n: sum(fastest_move_s(i, timing) for i in snapshot.by_host[n]) for n in scope}
    first = 0.0 if any(not snapshot.by_host[n] for n in scope) else min(evacuation.values())
    by_slots = first + math.ceil(len(scope) / slots) * upkeep
    busiest = max(evacuation.values()) + upkeep
    bounds = [by_slots, busiest]
    usable = _usable(snapshot, scope)
    in_flight = [(i, fastest_move_s(i, timing)) for n in scope for i in snapshot.by_host[n]]
    for index, size in enumerate(("vcpus", "ram_mb")):
        free = sum(getattr(snapshot.hosts[n], size) - snapshot.used[n][index] for n in usable)
        if free > 0:
            need = sum(getattr(snapshot.hosts[n], size) for n in scope) * upkeep
            need += sum(getattr(i, size) * seconds for i, seconds in in_flight)
            bounds.append(need / free)
    return max(bounds)
