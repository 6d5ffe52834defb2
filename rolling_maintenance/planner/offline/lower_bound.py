"""Lower bounds on the time a plan needs, computed without the planner.

The plans in question empty a host by moving its instances one at a time
(Nova's default of one migration per source host), move nothing onto a host
whose emptying has begun (it would have to move again), then maintain the
host for M seconds. Room counts on the enabled hosts and on every host in
scope (a disabled host is enabled again once maintained; counting its room
from the start only lowers the bound). Three facts hold for every such plan:

1. A host in maintenance is empty, so at any moment the hosts in
   maintenance fit in the spare room: at most S of them, S being the most
   hosts in scope whose sizes (the smallest ones, vcpus and ram taken
   separately) add up to no more than the free room. H maintenances of
   length M on S parallel slots take at least ceil(H / S) * M, and none
   starts before the first non-empty host could be emptied (its moves, one
   after the other, at their fastest) unless some host is empty already.
2. The busiest host: its moves one after the other, then its maintenance.
3. Room over time. At every moment the free room F (of the usable hosts,
   before anything moves) holds the hosts in maintenance (their whole size),
   the instances in flight (their copy on the target) and the room of the
   hosts being emptied. So F * T is at least, summed over the hosts in
   scope: size * M, plus the host's free room for its whole emptying, plus
   each of its instances from the start of its move to the end of the
   emptying (its moves one after the other at their fastest, in the order
   that makes this least), for ram and for vcpus.

A fourth holds for plans made of rounds, the shape the workflow runs (a
round empties its hosts, maintains them together, and the next round starts
after): a round holds at most S hosts, so there are at least ceil(H / S)
rounds and at least ceil(H' / S) of them empty a host (H' the non-empty
hosts), each taking at least M, and those also at least the shortest
emptying of any host.

`lower_bound_s`, for plans in rounds, is the largest of the four;
`any_order_bound_s`, for plans that would also overlap rounds, of the first
three.
"""

import math

from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.schedule.duration import fastest_move_s, read_timing

SIZES = ("vcpus", "ram_mb")


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


def bounds_s(inventory, hosts=()):
    """`{"rounds": s, "any_order": s}`: the two bounds for `inventory`
    (in-scope `hosts`, all when empty); both None when no host can ever be
    empty (nothing can be planned)."""
    snapshot = parse_snapshot(inventory)
    timing = read_timing(snapshot.raw.get("timing"))
    scope = sorted(hosts) if hosts else sorted(snapshot.hosts)
    if not scope:
        return {"rounds": 0.0, "any_order": 0.0}
    slots = most_empty_at_once(snapshot, scope)
    if slots == 0:
        return {"rounds": None, "any_order": None}
    upkeep = timing.host_maintenance_s
    evacuation = {n: sum(fastest_move_s(i, timing) for i in snapshot.by_host[n]) for n in scope}
    emptied = [seconds for n, seconds in evacuation.items() if snapshot.by_host[n]]
    first = min(emptied) if len(emptied) == len(scope) else 0.0
    by_slots = first + math.ceil(len(scope) / slots) * upkeep
    busiest = max(evacuation.values()) + upkeep
    any_order = [by_slots, busiest]
    usable = _usable(snapshot, scope)
    for index, size in enumerate(SIZES):
        free = sum(getattr(snapshot.hosts[n], size) - snapshot.used[n][index] for n in usable)
        if free > 0:
            need = sum(room_seconds(snapshot, n, size, upkeep, timing) for n in scope)
            any_order.append(need / free)
    by_rounds = math.ceil(len(scope) / slots) * upkeep
    if emptied:
        by_rounds += math.ceil(len(emptied) / slots) * min(emptied)
    return {"rounds": max(any_order + [by_rounds]), "any_order": max(any_order)}


def lower_bound_s(inventory, hosts=()):
    """Seconds no plan in rounds of `inventory` can beat; None when no host
    can ever be empty."""
    return bounds_s(inventory, hosts)["rounds"]


def any_order_bound_s(inventory, hosts=()):
    """Seconds no plan of `inventory` can beat, rounds overlapping or not."""
    return bounds_s(inventory, hosts)["any_order"]


def room_seconds(snapshot, host, size, upkeep, timing):
    """The least room-seconds (of `size`: "vcpus" or "ram_mb") that
    emptying and maintaining `host` holds: see fact 3. Moves are ordered
    slowest per unit of size first, which makes the sum least (an exchange
    argument)."""
    moves = [(fastest_move_s(i, timing), getattr(i, size)) for i in snapshot.by_host[host]]
    moves.sort(key=lambda m: -(m[0] / m[1]) if m[1] else float("-inf"))
    emptying = sum(seconds for seconds, _ in moves)
    total = getattr(snapshot.hosts[host], size) * upkeep
    total += (getattr(snapshot.hosts[host], size) - snapshot.used[host][SIZES.index(size)]) * emptying
    began = 0.0
    for seconds, amount in moves:
        total += amount * (emptying - began)
        began += seconds
    return total
