"""A proof that a cloud can be maintained: a serial plan found with CP-SAT.

One host at a time is emptied onto the hosts a plan may use as the cloud
stands then (nothing else moves), under the rules of `empty_at_once`, and
stays a target once maintained. When every host in scope gets its turn,
the order and the placements are a valid plan, so the cloud is feasible.
When no host left can be emptied, the hosts left are named (the order
tried is a greedy one, so this does not prove the cloud infeasible).
"""

import copy

from ortools.sat.python import cp_model

from rolling_maintenance.planner.offline.empty_at_once import capped_members, class_key
from rolling_maintenance.planner.placement.move_types import move_type


def _blocks(snapshot, name):
    """`{class key: [[instance ids moving together]]}` of the instances on `name`."""
    together, blocks = {}, {}
    for instance in snapshot.by_host[name]:
        group = snapshot.groups.get(instance.group_id) if instance.group_id else None
        if group is not None and group.policy == "affinity":
            together.setdefault(group.group_id, []).append(instance)
        else:
            blocks.setdefault(class_key(group, instance.vcpus, instance.ram_mb), []).append([instance.id])
    for members in together.values():
        key = class_key(None, sum(i.vcpus for i in members), sum(i.ram_mb for i in members))
        blocks.setdefault(key, []).append([i.id for i in members])
    return blocks


def empty_onto_others(snapshot, name, targets, maintained=(), time_limit_s=5.0):
    """`{instance id: target}` that empties `name` onto `targets` as the
    cloud stands, as much as it can onto `maintained` hosts (what lands
    elsewhere moves again later); {} for an empty host; None when the solver
    finds none."""
    blocks = _blocks(snapshot, name)
    if not blocks:
        return {}
    model = cp_model.CpModel()
    count = {}
    for key, items in blocks.items():
        most = capped_members(snapshot.groups.get(key[0]) if key[0] else None) or len(items)
        for target in targets:
            count[key, target] = model.new_int_var(0, min(len(items), most), "")
        model.add(sum(count[key, target] for target in targets) == len(items))
    for target in targets:
        vcpus, ram_mb = snapshot.free(target)
        here = [(key, count[key, target]) for key in blocks]
        model.add(sum(key[1] * v for key, v in here) <= max(0, vcpus))
        model.add(sum(key[2] * v for key, v in here) <= max(0, ram_mb))
        for group_id in {key[0] for key in blocks if key[0]}:
            room = capped_members(snapshot.groups[group_id]) - snapshot.members_per_host(group_id).get(target, 0)
            model.add(sum(v for key, v in here if key[0] == group_id) <= max(0, room))
    done = set(maintained)
    model.minimize(sum((key[1] * 4096 + key[2]) * count[key, target]
                       for key in blocks for target in targets if target not in done))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    placement = {}
    for key, items in blocks.items():
        queue = list(items)
        for target in targets:
            for _ in range(solver.value(count[key, target])):
                placement.update((instance_id, target) for instance_id in queue.pop())
    return placement


def _moves(cloud, name, placement):
    together = {}
    for instance_id in placement:
        group_id = cloud.instances[instance_id].group_id
        together[group_id] = together.get(group_id, 0) + 1
    moves = []
    for instance_id, target in sorted(placement.items()):
        instance = cloud.instances[instance_id]
        group = cloud.groups.get(instance.group_id) if instance.group_id else None
        joint = group is not None and group.policy == "affinity" and together[group.group_id] > 1
        moves.append({"instance": instance_id, "from": name, "to": target,
                      "type": move_type(instance, "LIVE_MIGRATE", joint)})
    return moves


def serial_witness(snapshot, scope, time_limit_s=5.0):
    """`(order, [], rounds)`: the hosts of `scope` in an order a serial plan
    can empty them, and that plan (`[{"hosts": [host], "moves"}]`); or
    `(order so far, hosts left, rounds so far)` when it got stuck."""
    cloud = copy.deepcopy(snapshot)
    left = sorted(scope)
    order, rounds = [], []
    while left:
        for name in left:
            targets = [n for n, h in cloud.hosts.items() if n != name and (h.enabled or n in order)]
            placement = empty_onto_others(cloud, name, targets, order, time_limit_s)
            if placement is not None:
                break
        else:
            return order, left, rounds
        rounds.append({"hosts": [name], "moves": _moves(cloud, name, placement)})
        for instance_id, target in sorted(placement.items()):
            cloud.move(instance_id, target)
        order.append(name)
        left.remove(name)
    return order, [], rounds
