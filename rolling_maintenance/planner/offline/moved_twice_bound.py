"""A bound on plans in rounds that move at most C instances twice.

Claim. Take a plan in rounds (a round's hosts are all empty at once, then
maintained; every host in scope is maintained once; instances go only to
usable hosts: enabled, or in scope) in which at most C instances move more
than once. Let free(h) be host h's size less what is on it now, O the
enabled hosts out of scope, and V the sum of the C largest instances (vcpus
and ram apart). Then for each round r, in vcpus and in ram:

    load(R_r) <= free(O) + V + sum of free(h) over the hosts of rounds before r.

Proof. While the hosts of R_r are empty, every instance is on a host
maintained before (M), on O, on a host in scope not maintained yet (U), or
on a disabled host out of scope (D). Nothing moves onto D, so D holds at
most what it holds now. A host of M or O holds at most its size. An
instance on a host of U either never moved (it is counted in U's load now)
or moved onto a host that will be emptied again, so it moves twice: there
are at most C such, adding at most V. The total load never changes, so
load(M) + load(O) + load(U) + load(D) + load(R_r) (all as now) is at most
size(M) + size(O) + load(U) + V + load(D); take away what is on both sides.

When no enabled host is out of scope, more holds: while the first round's
hosts are emptied no host is maintained, so every instance on them moves
onto a host that will be emptied again, and moves twice. So the first
round holds at most C instances, and the instances that move twice are
those plus at most C - n(R_1) others: V is at most load(R_1) plus the
C - n(R_1) largest instances, for every later round (the sum of the k
largest is concave in k, so it is kept under lines that touch it).

With the bound's other rules (at most K hosts a round, sizes within the
spare room; `proven_bound`), the fewest rounds of such an ordered partition
is found by CP-SAT (its proven lower limit when the time runs out), and the
seconds follow as in `proven_bound`'s closed form: those rounds times the
host time, plus every K-th emptying, slowest first.
"""

import math

from ortools.sat.python import cp_model

# Host-by-round variables up to which the solver is tried.
MAX_VARIABLES = 20_000
# Lines that bound the sum of the k largest instances from above.
TANGENTS = 20


def largest_sum(descending, count):
    """The sum of the first `count` of `descending` values."""
    return sum(descending[:max(0, count)])


def _room(snapshot, name):
    """`(vcpus, ram_mb)` free on a host now."""
    host, (vcpus, ram_mb) = snapshot.hosts[name], snapshot.used[name]
    return host.vcpus - vcpus, host.ram_mb - ram_mb


class Growth:
    """The facts of the claim: per host in scope (in `names` order) its
    size, its load and its free room now; `base`: the room every round may
    use besides (free(O) + V); `most` (K) and `spare` as in `proven_bound`."""

    def __init__(self, snapshot, scope, most_twice, most, spare):
        in_scope = set(scope)
        self.names = sorted(scope)
        self.sizes = [(snapshot.hosts[n].vcpus, snapshot.hosts[n].ram_mb) for n in self.names]
        self.load = [snapshot.used[n] for n in self.names]
        self.free = [_room(snapshot, n) for n in self.names]
        outside = [_room(snapshot, n) for n, h in snapshot.hosts.items() if h.enabled and n not in in_scope]
        instances = list(snapshot.instances.values())
        self.largest = (sorted((i.vcpus for i in instances), reverse=True),
                        sorted((i.ram_mb for i in instances), reverse=True))
        self.base = (sum(max(0, v) for v, _r in outside) + largest_sum(self.largest[0], most_twice),
                     sum(max(0, r) for _v, r in outside) + largest_sum(self.largest[1], most_twice))
        self.most = most
        self.spare = spare
        self.most_twice = most_twice
        self.counts = [len(snapshot.by_host[n]) for n in self.names]
        self.alone = not outside

    def first_round_fits(self, count):
        """Whether a first round of `count` instances keeps to the claim."""
        return not self.alone or count <= self.most_twice

    def room(self, index, gained, first):
        """The load a later round may hold in resource `index`, after rounds
        that freed `gained` and a first round of `first` (load, count)."""
        if not self.alone or first is None:
            return self.base[index] + gained[index]
        twice = first[0][index] + largest_sum(self.largest[index], self.most_twice - first[1])
        return min(self.base[index], twice) + gained[index]

    def tangents(self, index):
        """`[(k, sum of the k largest, the (k+1)-th)]`: lines at or above the
        sum of the k largest instances in resource `index`, for k up to C."""
        sizes, most = self.largest[index], self.most_twice
        points = sorted({round(most * n / TANGENTS) for n in range(TANGENTS + 1)})
        return [(k, sum(sizes[:k]), sizes[k] if k < len(sizes) else 0) for k in points]

    def roomiest_first(self):
        def key(j):
            return -min(self.free[j][0] / max(1, self.sizes[j][0]), self.free[j][1] / max(1, self.sizes[j][1]))
        return sorted(range(len(self.names)), key=key)


def _greedy_rounds(growth):
    """A partition that keeps every rule (rounds filled roomiest first), or None."""
    left = growth.roomiest_first()
    rounds, gained, first = [], [0, 0], None
    while left:
        members, load, size, count = [], [0, 0], [0, 0], 0
        for j in list(left):
            if len(members) >= growth.most:
                break
            if first is None and not growth.first_round_fits(count + growth.counts[j]):
                continue
            if all(load[i] + growth.load[j][i] <= growth.room(i, gained, first)
                   and size[i] + growth.sizes[j][i] <= growth.spare[i] for i in (0, 1)):
                members.append(j)
                left.remove(j)
                count += growth.counts[j]
                for i in (0, 1):
                    load[i] += growth.load[j][i]
                    size[i] += growth.sizes[j][i]
        if not members:
            return None
        if first is None:
            first = (tuple(load), count)
        for j in members:
            for i in (0, 1):
                gained[i] += growth.free[j][i]
        rounds.append(members)
    return rounds


def fewest_rounds(snapshot, scope, most_twice, most, spare, time_limit_s):
    """`(rounds, proved)`: no plan in rounds of at most `most` hosts within
    the `spare` room (vcpus, ram) that moves at most `most_twice` instances
    twice has fewer rounds; `(None, True)` when no such plan exists, `(None,
    False)` when the cloud is too large for the solver."""
    growth = Growth(snapshot, scope, most_twice, most, spare)
    greedy = _greedy_rounds(growth)
    count = len(growth.names)
    top = len(greedy) if greedy is not None else count
    if count * top > MAX_VARIABLES:
        return None, False
    model = cp_model.CpModel()
    used = [model.new_bool_var("") for _ in range(top)]
    joins = [[model.new_bool_var("") for _ in range(top)] for _ in range(count)]
    for j in range(count):
        model.add_exactly_one(joins[j])
    if growth.alone:
        first_load, others = _twice_after_first(model, growth, joins)
    for r in range(top):
        members = [joins[j][r] for j in range(count)]
        model.add(sum(members) <= most * used[r])
        if r:
            model.add_implication(used[r], used[r - 1])
        for i in (0, 1):
            model.add(sum(growth.sizes[j][i] * members[j] for j in range(count)) <= spare[i])
            earlier = [growth.free[j][i] * joins[j][s] for j in range(count) for s in range(r)]
            here = sum(growth.load[j][i] * members[j] for j in range(count))
            model.add(here <= growth.base[i] + sum(earlier))
            if growth.alone and r:
                model.add(here <= first_load[i] + others[i] + sum(earlier))
    if growth.alone:
        model.add(sum(growth.counts[j] * joins[j][0] for j in range(count)) <= most_twice)
    if greedy is not None:
        for r, members in enumerate(greedy):
            for j in members:
                model.add_hint(joins[j][r], True)
    status, least, proved = least_count(model, sum(used), time_limit_s)
    if least is not None:
        return least, proved
    if status == cp_model.INFEASIBLE and greedy is None:
        return None, True
    return 1, False


def _twice_after_first(model, growth, joins):
    """The first round's load and a bound on the other instances that may
    move twice (the largest C - n(R_1)), per resource, as model expressions."""
    count = len(growth.names)
    first = [joins[j][0] for j in range(count)]
    left = growth.most_twice - sum(growth.counts[j] * first[j] for j in range(count))
    loads, others = [], []
    for i in (0, 1):
        loads.append(sum(growth.load[j][i] * first[j] for j in range(count)))
        other = model.new_int_var(0, largest_sum(growth.largest[i], growth.most_twice), "")
        for k, total, slope in growth.tangents(i):
            model.add(other <= total + slope * (left - k))
        others.append(other)
    return loads, others


def least_count(model, objective, time_limit_s):
    """`(status, least, proved)`: the least integer `objective` CP-SAT proves
    within the time (the optimum, or its proven lower limit), or None."""
    model.minimize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        return status, round(solver.objective_value), True
    if status == cp_model.FEASIBLE:
        return status, math.ceil(solver.best_objective_bound - 1e-6), False
    return status, None, False
