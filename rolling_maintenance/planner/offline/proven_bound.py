"""A bound on plans in rounds, proved by a solver (OR-Tools CP-SAT).

A plan in rounds (the shape the workflow runs) empties a round's hosts,
maintains them together, then starts the next round. So the hosts of a
round are empty at once, and a round lasts at least the host maintenance
plus its slowest emptying (the host's instances one after the other, each
at its fastest; see `lower_bound`). The bound is the least total of rounds
that partition the hosts in scope, each round:

- at most K hosts, K the most hosts that can be empty at once
  (`empty_at_once`: a bin packing solved by CP-SAT);
- hosts whose sizes add up to no more than the spare room (vcpus and ram).

Every plan in rounds is such a partition, so no plan beats the least one.
CP-SAT finds it and proves it least; when it runs out of time the bound is
the most of what it proved by then and of a closed form that holds for any
partition: at least R rounds (R from K and from the room), and the sum of
the slowest emptyings of rounds of at most K hosts is at least the sum of
every K-th emptying, largest first. The larger of this bound and the facts
of `lower_bound.bounds_s` is reported, with the fact that set it.
"""

import math

from ortools.sat.python import cp_model

from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.offline import empty_at_once, moved_twice_bound
from rolling_maintenance.planner.offline.lower_bound import bounds_s
from rolling_maintenance.planner.schedule.duration import fastest_move_s, read_timing

# Solutions in units of 1/100 s, rounded down so the bound stays a bound.
SCALE = 100
# Host-by-round variables the solver gets within a planning time limit.
MAX_VARIABLES = 50_000
# Round patterns (hosts of each size in a round) the fewest-rounds program takes.
MAX_PATTERNS = 20_000
MAX_SIZES = 50
SOURCES = (empty_at_once.OPTIMAL, empty_at_once.TIMEOUT, empty_at_once.ROOM_ONLY)
DEFAULT_TIME_LIMIT_S = 20.0


class _Cloud:
    """The facts the rounds model needs: hosts in scope, slowest emptying
    first, their sizes and emptying times, the spare room, K and M."""

    def __init__(self, snapshot, scope, timing, most):
        self.names = sorted(scope, key=lambda n: (-self._emptying(snapshot, n, timing), n))
        self.emptying = [self._emptying(snapshot, n, timing) for n in self.names]
        self.sizes = [(snapshot.hosts[n].vcpus, snapshot.hosts[n].ram_mb) for n in self.names]
        usable = [n for n, h in snapshot.hosts.items() if h.enabled or n in scope]
        self.spare = (sum(snapshot.hosts[n].vcpus - snapshot.used[n][0] for n in usable),
                      sum(snapshot.hosts[n].ram_mb - snapshot.used[n][1] for n in usable))
        self.most = most
        self.upkeep = timing.host_maintenance_s

    @staticmethod
    def _emptying(snapshot, name, timing):
        return sum(fastest_move_s(i, timing) for i in snapshot.by_host[name])

    def fewest_rounds(self):
        """Rounds no partition can do without: by count and by room."""
        fewest = math.ceil(len(self.names) / self.most)
        for index in (0, 1):
            need = sum(size[index] for size in self.sizes)
            if need and self.spare[index] > 0:
                fewest = max(fewest, math.ceil(need / self.spare[index]))
        return fewest

    def closed_form_s(self, rounds):
        """The least a partition into at least `rounds` rounds can take."""
        every_kth = sum(self.emptying[j] for j in range(0, len(self.names), self.most))
        return rounds * self.upkeep + every_kth

    def patterns(self):
        """`(sizes, [(count per size)])`: how many hosts of each size a round
        may hold at most (no pattern inside another); None when too many."""
        sizes = sorted(set(self.sizes))
        if len(sizes) > MAX_SIZES:
            return None
        have = [self.sizes.count(size) for size in sizes]
        found = []

        def extend(prefix, used, total):
            if len(found) > MAX_PATTERNS:
                return
            if len(prefix) == len(sizes):
                found.append(tuple(prefix))
                return
            size, most = sizes[len(prefix)], have[len(prefix)]
            for n in range(min(most, self.most - total), -1, -1):
                room = (used[0] + n * size[0], used[1] + n * size[1])
                if room[0] <= self.spare[0] and room[1] <= self.spare[1]:
                    extend(prefix + [n], room, total + n)

        extend([], (0, 0), 0)
        if len(found) > MAX_PATTERNS:
            return None
        maximal = [p for p in found if not any(q != p and all(a >= b for a, b in zip(q, p, strict=True))
                                              for q in found)] if len(found) <= 2000 else found
        return sizes, have, [p for p in maximal if any(p)]

    def fits(self, members, name_index):
        """Whether host `name_index` may join the round `members` (indexes)."""
        if len(members) + 1 > self.most:
            return False
        for index in (0, 1):
            total = sum(self.sizes[m][index] for m in members) + self.sizes[name_index][index]
            if total > self.spare[index]:
                return False
        return True

    def greedy_rounds(self):
        """A partition that keeps the model's rules (first fit, slowest
        emptying first), for the solver's hint and its number of rounds."""
        rounds = []
        for index in range(len(self.names)):
            for members in rounds:
                if self.fits(members, index):
                    members.append(index)
                    break
            else:
                rounds.append([index])
        return rounds


def _fewest_rounds(cloud, time_limit_s):
    """`(rounds, proved)`: the fewest rounds of patterns that hold every host
    (a small integer program); the closed form when there are too many patterns."""
    fewest = cloud.fewest_rounds()
    found = cloud.patterns()
    if found is None:
        return fewest, False
    _sizes, have, patterns = found
    if not patterns:
        return fewest, False
    model = cp_model.CpModel()
    uses = [model.new_int_var(0, len(cloud.names), "") for _ in patterns]
    for t, need in enumerate(have):
        model.add(sum(p[t] * u for p, u in zip(patterns, uses, strict=True)) >= need)
    model.add(sum(uses) >= fewest)
    _status, least, proved = moved_twice_bound.least_count(model, sum(uses), time_limit_s)
    if least is None:
        return fewest, False
    return max(fewest, least), proved


def _solve(cloud, fewest, time_limit_s):
    """`(seconds, optimal, rounds)` of the rounds model; None when too large.

    Each round is named by its slowest host, which "opens" it (hosts are in
    order of emptying, slowest first): host j joins a round opened by a
    host i <= j, and the round costs the maintenance plus host i's emptying.
    """
    count = len(cloud.names)
    if count * (count + 1) // 2 > MAX_VARIABLES:
        return None
    upkeep = math.floor(cloud.upkeep * SCALE)
    cost = [upkeep + math.floor(e * SCALE) for e in cloud.emptying]
    model = cp_model.CpModel()
    opens = [model.new_bool_var("") for _ in range(count)]
    joins = {(i, j): opens[j] if i == j else model.new_bool_var("")
             for j in range(count) for i in range(j + 1)}
    for j in range(count):
        model.add_exactly_one(joins[i, j] for i in range(j + 1))
    for i in range(count):
        members = [(j, joins[i, j]) for j in range(i, count)]
        model.add(sum(v for _j, v in members) <= cloud.most * opens[i])
        for index in (0, 1):
            model.add(sum(cloud.sizes[j][index] * v for j, v in members) <= cloud.spare[index] * opens[i])
    total = sum(c * o for c, o in zip(cost, opens, strict=True))
    every_kth = sum(cost[j] - upkeep for j in range(0, count, cloud.most))
    model.add(sum(opens) >= fewest)
    model.add(total >= fewest * upkeep + every_kth)
    model.minimize(total)
    for members in cloud.greedy_rounds():
        for j in members:
            model.add_hint(joins[members[0], j], True)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        return solver.objective_value / SCALE, True, sum(1 for o in opens if solver.value(o))
    if status == cp_model.FEASIBLE:
        return math.floor(solver.best_objective_bound) / SCALE, False, None
    return 0.0, False, None


def proven_bound(inventory, hosts=(), time_limit_s=DEFAULT_TIME_LIMIT_S, facts=None, most_twice=None):
    """The solver-proven bound for plans in rounds of `inventory` (in-scope
    `hosts`, all when empty); `facts`: `lower_bound.bounds_s` of the same
    cloud, when the caller has it. A dict:

    `seconds` (None when no host can ever be empty), `source`
    ("cp-sat-optimal"; "cp-sat-timeout-relaxation": the solver ran out of
    time and the bound is what it had proved; "room-relaxation": the cloud
    is too large for the solver, or already breaks a group rule, and the
    bound counts room only), `set_by` ("fewest-rounds", or
    "lower-bound-facts" when `lower_bound_s` is higher), `hosts_empty_at_once`
    (K) and its `hosts_empty_at_once_source`, `rounds` (of the least
    partition, when proved, else None) and `rounds_at_least`. With
    `most_twice` (a number of instances), also `moved_twice_limited`: the
    bound for plans that move at most that many instances twice
    (`moved_twice_bound`).
    """
    snapshot = parse_snapshot(inventory)
    timing = read_timing(snapshot.raw.get("timing"))
    scope = sorted(hosts) if hosts else sorted(snapshot.hosts)
    facts = facts or bounds_s(inventory, hosts)
    half = time_limit_s / 2.0
    most = empty_at_once.most_empty(snapshot, scope, half)
    result = {"hosts_empty_at_once": most.count, "hosts_empty_at_once_source": most.source,
              "source": most.source, "set_by": "fewest-rounds"}
    if not scope or most.count == 0 or facts["rounds"] is None:
        seconds, rounds = (0.0, 0) if not scope else (None, None)
        if most_twice is not None:
            result["moved_twice_limited"] = {"max_instances_moved_twice": most_twice, "seconds": seconds,
                                             "rounds_at_least": rounds, "source": most.source}
        return dict(result, seconds=seconds, rounds=rounds, rounds_at_least=rounds)
    cloud = _Cloud(snapshot, set(scope), timing, most.count)
    fewest, _proved = _fewest_rounds(cloud, half / 4)
    solved = _solve(cloud, fewest, half * 3 / 4)
    seconds, rounds, source = cloud.closed_form_s(fewest), None, most.source
    if solved is None:
        source = empty_at_once.ROOM_ONLY
    else:
        seconds = max(seconds, solved[0])
        if not solved[1]:
            source = SOURCES[max(SOURCES.index(source), 1)]
        elif most.source == empty_at_once.OPTIMAL:
            rounds = solved[2]
    if facts["rounds"] > seconds:
        seconds, result["set_by"] = facts["rounds"], "lower-bound-facts"
    if most_twice is not None:
        result["moved_twice_limited"] = _limited(snapshot, scope, cloud, most_twice, seconds, source, half / 2)
    return dict(result, seconds=seconds, source=source, rounds=rounds, rounds_at_least=fewest)


def _limited(snapshot, scope, cloud, most_twice, seconds, source, time_limit_s):
    """The bound for plans moving at most `most_twice` instances twice: never
    below the bound without that limit, which holds for them too."""
    rounds, proved = moved_twice_bound.fewest_rounds(snapshot, scope, most_twice, cloud.most, cloud.spare,
                                                     time_limit_s)
    found = {"max_instances_moved_twice": most_twice, "rounds_at_least": rounds}
    if rounds is None and not proved:
        # Too large for the solver: the bound without the limit holds.
        return dict(found, seconds=seconds, rounds_at_least=None, source=empty_at_once.ROOM_ONLY)
    if rounds is None:
        return dict(found, seconds=None, source=source)
    if not proved:
        source = SOURCES[max(SOURCES.index(source), 1)]
    return dict(found, seconds=max(seconds, cloud.closed_form_s(rounds)), source=source)
