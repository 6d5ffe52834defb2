"""A round composed by a solver (OR-Tools CP-SAT), for clouds small enough.

The greedy round (`strategy.parallel.build_round`) takes candidates
cheapest first and places each one's instances by best fit, so the room on
the targets ends up in pieces too small for the next host's instances
(one vcpu here, a few GiB there). The solver chooses the round's hosts and
the targets of all their instances together: the hosts whose sizes add up
to the most (in shares of the candidates' vcpus and ram) that the targets
can take, so each round maintains as much of the cloud as it can and
leaves the most room to the next. (Measured on the benchmark's uneven
clouds, sizes did better than the load moved or the number of hosts.)

The rules are the greedy's: vcpus and ram as the targets stand; an
anti-affinity group at most `max_instances_per_host` (default 1) members on
a host, a soft policy at most its `max_instances_per_host` when set; the
members of an affinity group on a host move together, and a host whose
affinity group has members elsewhere is left to the greedy. Targets are
never candidates (the round's hosts are all emptied).
"""

from ortools.sat.python import cp_model

from rolling_maintenance.planner.placement.move_types import move_type
from rolling_maintenance.planner.placement.solver_placement import capped_members, class_key

# Clouds up to this many hosts, and class-by-target variables up to this
# many, get the solver; larger ones the greedy round alone.
MAX_CLOUD_HOSTS = 500
MAX_VARIABLES = 60_000
# Deterministic work units (about seconds on one core) per round, so a
# decision does not depend on the machine's load.
WORK_LIMIT = 1.0
WEIGHT_SCALE = 1_000_000


def _blocks(snapshot, name):
    """`[(class key, [instance ids], allowed targets or None)]` of host
    `name`, or None when an affinity group has members elsewhere."""
    together, blocks = {}, []
    for instance in snapshot.by_host[name]:
        group = snapshot.groups.get(instance.group_id) if instance.group_id else None
        if group is not None and group.policy == "affinity":
            together.setdefault(group.group_id, []).append(instance)
        else:
            blocks.append((class_key(group, instance.vcpus, instance.ram_mb), [instance.id]))
    for group_id, members in together.items():
        if any(m.host not in (None, name) for m in snapshot.by_group[group_id]):
            return None
        key = ("affinity:" + group_id, sum(i.vcpus for i in members), sum(i.ram_mb for i in members))
        blocks.append((key, [i.id for i in members]))
    return blocks


def host_weights(snapshot, candidates):
    """`{host: weight}`: its share of the candidates' vcpus plus its share
    of their ram, as sizes: the room the round frees for the next ones."""
    total_vcpus = sum(snapshot.hosts[h].vcpus for h in candidates) or 1
    total_ram_mb = sum(snapshot.hosts[h].ram_mb for h in candidates) or 1
    return {h: round(WEIGHT_SCALE * (snapshot.hosts[h].vcpus / total_vcpus + snapshot.hosts[h].ram_mb / total_ram_mb))
            for h in candidates}


class _Model:
    """The CP-SAT model of one round."""

    def __init__(self, snapshot, classes, targets, limit):
        self.model = cp_model.CpModel()
        self.chosen = {h: self.model.new_bool_var("") for h in classes.hosts}
        self.count = {}
        model = self.model
        for key, per_host in classes.items.items():
            total = sum(len(blocks) for blocks in per_host.values())
            group = snapshot.groups.get(key[0]) if key[0] in snapshot.groups else None
            top = min(total, capped_members(group) or total)
            for target in targets:
                self.count[key, target] = model.new_int_var(0, top, "")
            model.add(sum(self.count[key, t] for t in targets)
                      == sum(len(blocks) * self.chosen[h] for h, blocks in per_host.items()))
        groups = sorted({key[0] for key in classes.items if key[0] in snapshot.groups})
        for target, (vcpus, ram_mb) in targets.items():
            here = [(key, self.count[key, target]) for key in classes.items]
            model.add(sum(key[1] * v for key, v in here) <= max(0, vcpus))
            model.add(sum(key[2] * v for key, v in here) <= max(0, ram_mb))
            for group_id in groups:
                room = capped_members(snapshot.groups[group_id]) - len(
                    [m for m in snapshot.by_group[group_id] if m.host == target])
                model.add(sum(v for key, v in here if key[0] == group_id) <= max(0, room))
        if limit is not None:
            model.add(sum(self.chosen.values()) <= limit)


class _Classes:
    """The candidates' blocks by class: `items[key][host]` = `[[ids]]`."""

    def __init__(self, snapshot, candidates):
        self.items = {}
        self.hosts = []
        self.key_of = {}
        for host in candidates:
            blocks = _blocks(snapshot, host)
            if blocks is None:
                continue
            self.hosts.append(host)
            for key, ids in blocks:
                self.items.setdefault(key, {}).setdefault(host, []).append(ids)
                self.key_of[ids[0]] = key


def compose_round(snapshot, candidates, targets, limit, default_type, hint=((), ())):
    """`(hosts, moves)` of the round the solver finds best, or None (too
    large, or nothing found). `targets`: `{host: (free vcpus, free ram_mb)}`;
    `hint`: `(hosts, moves)` of a round known to be possible (the greedy's)."""
    classes = _Classes(snapshot, [h for h in candidates if h not in targets])
    if not classes.hosts or len(classes.items) * len(targets) > MAX_VARIABLES:
        return None
    weights = host_weights(snapshot, classes.hosts)
    built = _Model(snapshot, classes, targets, limit)
    model = built.model
    model.maximize(sum(weights[h] * built.chosen[h] for h in classes.hosts))
    _hint(built, classes, hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = WORK_LIMIT
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    hosts = [h for h in classes.hosts if solver.value(built.chosen[h])]
    if not hosts:
        return None
    return hosts, _moves(snapshot, classes, built, solver, set(hosts), targets, default_type)


def _hint(built, classes, hint):
    """Start the search from the greedy round, so the solver begins with a
    round at least as good."""
    hosts, moves = hint
    if any(h not in built.chosen for h in hosts):
        return
    counts = {}
    for move in moves:
        key = classes.key_of.get(move["instance"])
        if key is not None:
            counts[key, move["to"]] = counts.get((key, move["to"]), 0) + 1
    for host, variable in built.chosen.items():
        built.model.add_hint(variable, host in hosts)
    for (key, target), variable in built.count.items():
        built.model.add_hint(variable, counts.get((key, target), 0))


def _moves(snapshot, classes, built, solver, hosts, targets, default_type):
    moves = []
    for key, per_host in classes.items.items():
        queue = [(h, ids) for h in sorted(per_host) if h in hosts for ids in per_host[h]]
        for target in targets:
            for _ in range(solver.value(built.count[key, target])):
                source, ids = queue.pop()
                moves.extend({
                    "instance": instance_id,
                    "project_id": snapshot.instances[instance_id].project_id,
                    "from": source,
                    "to": target,
                    "type": move_type(snapshot.instances[instance_id], default_type, len(ids) > 1),
                } for instance_id in ids)
    return moves
