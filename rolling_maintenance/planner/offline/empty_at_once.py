"""The most hosts in scope that can be empty at once, proved by CP-SAT.

A set of hosts can be empty at once when every instance fits on the other
hosts a plan may use (the enabled ones and those in scope) under the rules
the planner keeps: vcpus and ram at allocation ratio 1.0; an anti-affinity
group at most `max_instances_per_host` (default 1) members on a host; a
soft policy at most `max_instances_per_host` when it is set; the members of
an affinity group that share a host stay together. Instances on hosts out of
scope stay where they are (the planner moves nothing off them); every other
instance may be anywhere, which is what any plan can reach at best.

The model is a bin packing: instances of equal size and group are one class
with a count per host, so a cloud of a few flavours stays small. With a
time limit the solver may stop before it proves the optimum; then the count
is the solver's proven upper limit, never more than the room-only count of
`lower_bound.most_empty_at_once` (a relaxation that holds for any cloud).
"""

import math

from ortools.sat.python import cp_model

from rolling_maintenance.planner.offline.lower_bound import most_empty_at_once
from rolling_maintenance.planner.placement.solver_placement import capped_members, class_key

OPTIMAL = "cp-sat-optimal"
TIMEOUT = "cp-sat-timeout-relaxation"
ROOM_ONLY = "room-relaxation"
# Class-by-host variables the solver gets within a planning time limit.
MAX_VARIABLES = 200_000


class EmptyAtOnce:
    """`count`: no more hosts in scope can be empty at once; `source` says
    how it is known; `found`: a count reached by a placement (None if none)."""

    __slots__ = ("count", "found", "source")

    def __init__(self, count, source, found):
        self.count = count
        self.source = source
        self.found = found


def _classes(snapshot, movable):
    """`{(group_id or None, vcpus, ram_mb): {host: count}}` of the instances on
    `movable` hosts, where they are now; an affinity group's members on one
    host count as one item of their total size."""
    together, classes = {}, {}
    for name in movable:
        for instance in snapshot.by_host[name]:
            group = snapshot.groups.get(instance.group_id) if instance.group_id else None
            if group is not None and group.policy == "affinity":
                together.setdefault((group.group_id, name), []).append(instance)
                continue
            _count(classes, class_key(group, instance.vcpus, instance.ram_mb), name)
    for (_group_id, name), members in together.items():
        _count(classes, class_key(None, sum(i.vcpus for i in members), sum(i.ram_mb for i in members)), name)
    return classes


def _count(classes, key, name):
    where = classes.setdefault(key, {})
    where[name] = where.get(name, 0) + 1


def _pinned(snapshot, targets, scope):
    """What the instances on out-of-scope targets hold there: `{host: (vcpus, ram_mb,
    {group_id: members})}`."""
    pinned = {}
    for name in targets:
        if name in scope:
            continue
        members = {}
        for instance in snapshot.by_host[name]:
            if instance.group_id:
                members[instance.group_id] = members.get(instance.group_id, 0) + 1
        vcpus, ram_mb = snapshot.used[name]
        pinned[name] = (vcpus, ram_mb, members)
    return pinned


def most_empty(snapshot, scope, time_limit_s=10.0):
    """An `EmptyAtOnce` for the in-scope hosts `scope` of a parsed `Snapshot`."""
    scope = sorted(scope)
    room_count = most_empty_at_once(snapshot, scope)
    if not scope:
        return EmptyAtOnce(0, OPTIMAL, 0)
    in_scope = set(scope)
    targets = [n for n, h in snapshot.hosts.items() if h.enabled or n in in_scope]
    classes = _classes(snapshot, scope)
    pinned = _pinned(snapshot, targets, in_scope)
    if len(classes) * len(targets) > MAX_VARIABLES:
        return EmptyAtOnce(room_count, ROOM_ONLY, None)
    model = cp_model.CpModel()
    empty = {n: model.new_bool_var("empty_%s" % n) for n in scope}
    count = {}
    for key, now in classes.items():
        total = sum(now.values())
        group = snapshot.groups.get(key[0]) if key[0] else None
        most = capped_members(group) or total
        for name in targets:
            count[key, name] = model.new_int_var(0, min(total, most), "")
            model.add_hint(count[key, name], now.get(name, 0))
        model.add(sum(count[key, name] for name in targets) == total)
    for name in targets:
        host = snapshot.hosts[name]
        held_vcpus, held_ram_mb, held_members = pinned.get(name, (0, 0, {}))
        here = [(key, count[key, name]) for key in classes]
        if name in empty:
            model.add(sum(v for _key, v in here) == 0).only_enforce_if(empty[name])
        model.add(sum(key[1] * v for key, v in here) <= max(0, host.vcpus - held_vcpus))
        model.add(sum(key[2] * v for key, v in here) <= max(0, host.ram_mb - held_ram_mb))
        per_group = {}
        for key, v in here:
            if key[0]:
                per_group.setdefault(key[0], []).append(v)
        for group_id, variables in per_group.items():
            if len(variables) > 1 or held_members.get(group_id):
                room = capped_members(snapshot.groups[group_id]) - held_members.get(group_id, 0)
                model.add(sum(variables) <= max(0, room))
    for name in scope:
        model.add_hint(empty[name], not snapshot.by_host[name])
    _break_symmetry(model, snapshot, scope, empty)
    model.add(sum(empty.values()) <= room_count)
    model.maximize(sum(empty.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    # Measured on the benchmark's clouds: two workers (the machine's cores)
    # without presolve prove the count soonest; presolve alone can use up
    # the whole limit on a cloud of 100 hosts.
    solver.parameters.num_workers = 2
    solver.parameters.cp_model_presolve = False
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        value = round(solver.objective_value)
        return EmptyAtOnce(value, OPTIMAL, value)
    if status == cp_model.INFEASIBLE:
        # The cloud breaks the rules already (e.g. two members of an
        # anti-affinity group share a host): only the room counts.
        return EmptyAtOnce(room_count, ROOM_ONLY, None)
    if status == cp_model.FEASIBLE:
        limit = min(room_count, math.floor(solver.best_objective_bound + 1e-6))
        return EmptyAtOnce(limit, TIMEOUT, round(solver.objective_value))
    # Stopped before any placement: the solver's bound means nothing yet.
    return EmptyAtOnce(room_count, TIMEOUT, None)


def _break_symmetry(model, snapshot, scope, empty):
    """Hosts in scope of one size are interchangeable (everything on them
    may move): the first ones of a size are the empty ones."""
    by_size = {}
    for name in scope:
        host = snapshot.hosts[name]
        by_size.setdefault((host.vcpus, host.ram_mb), []).append(name)
    for names in by_size.values():
        for first, second in zip(names, names[1:], strict=False):
            model.add_implication(empty[second], empty[first])


