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


def largest_sum(values, count):
    """The sum of the `count` largest of `values`."""
    return sum(sorted(values, reverse=True)[:count])


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
        self.base = (sum(max(0, v) for v, _r in outside) + largest_sum([i.vcpus for i in instances], most_twice),
                     sum(max(0, r) for _v, r in outside) + largest_sum([i.ram_mb for i in instances], most_twice))
        self.most = most
        self.spare = spare

    def roomiest_first(self):
        def key(j):
            return -min(self.free[j][0] / max(1, self.sizes[j][0]), self.free[j][1] / max(1, self.sizes[j][1]))
        return sorted(range(len(self.names)), key=key)


def _greedy_rounds(growth):
    """A partition that keeps every rule (rounds filled roomiest first), or None."""
    left = growth.roomiest_first()
    rounds, gained = [], [0, 0]
    while left:
        members, load, size = [], [0, 0], [0, 0]
        for j in list(left):
            if len(members) >= growth.most:
                break
            if all(load[i] + growth.load[j][i] <= growth.base[i] + gained[i]
                   and size[i] + growth.sizes[j][i] <= growth.spare[i] for i in (0, 1)):
                members.append(j)
                left.remove(j)
                for i in (0, 1):
                    load[i] += growth.load[j][i]
                    size[i] += growth.sizes[j][i]
        if not members:
            return None
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
    for r in range(top):
        members = [joins[j][r] for j in range(count)]
        model.add(sum(members) <= most * used[r])
        if r:
            model.add_implication(used[r], used[r - 1])
        for i in (0, 1):
            model.add(sum(growth.sizes[j][i] * members[j] for j in range(count)) <= spare[i])
            earlier = [growth.free[j][i] * joins[j][s] for j in range(count) for s in range(r)]
            model.add(sum(growth.load[j][i] * members[j] for j in range(count))
                      <= growth.base[i] + sum(earlier))
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
