"""Emptying one host with a solver (OR-Tools CP-SAT), for when the best fit
of `evacuation` finds no way: best fit places the biggest instance first
on the fullest host and never looks back, so it can miss a placement that
exists. The solver either finds one or proves there is none, so a session
asks the projects to scale in only when no host can be emptied at all.

The rules are the planner's: vcpus and ram as the targets stand; an
anti-affinity group at most `max_instances_per_host` (default 1) members on
a host, a soft policy at most its `max_instances_per_host` when set; the
members of an affinity group on the host move together to the host of the
group's other members (any target when there are none elsewhere).
Instances of one size and group are one class with a count per target.
"""

from ortools.sat.python import cp_model

from rolling_maintenance.planner.placement.move_types import move_type

CAPPED = ("anti-affinity", "soft-anti-affinity", "soft-affinity")
# Weights of the objective: what lands off the preferred targets moves again.
_VCPU_WEIGHT = 4096


def capped_members(group):
    """Members of `group` allowed on one host; None for no limit."""
    if group is None or group.policy not in CAPPED:
        return None
    most = group.raw.get("max_instances_per_host")
    if group.policy == "anti-affinity":
        return most or 1
    return most


def class_key(group, vcpus, ram_mb):
    """Instances with one key are interchangeable for the packing."""
    return (group.group_id if capped_members(group) else None, vcpus, ram_mb)


class Emptying:
    """The solver's answer for one host: `placement` (`{instance id:
    target}`) or None; `proved`: no placement exists (None placement only);
    `why`: what rules it out, when the rules alone tell."""

    __slots__ = ("placement", "proved", "why")

    def __init__(self, placement, proved, why=None):
        self.placement = placement
        self.proved = proved
        self.why = why


def _items(snapshot, name):
    """`({class key: [[instance ids moving together]]}, {class key: only target or None})`."""
    together, items, only = {}, {}, {}
    for instance in snapshot.by_host[name]:
        group = snapshot.groups.get(instance.group_id) if instance.group_id else None
        if group is not None and group.policy == "affinity":
            together.setdefault(group.group_id, []).append(instance)
        else:
            items.setdefault(class_key(group, instance.vcpus, instance.ram_mb), []).append([instance.id])
    for group_id, members in together.items():
        key = ("affinity:" + group_id, sum(i.vcpus for i in members), sum(i.ram_mb for i in members))
        items[key] = [[i.id for i in members]]
        elsewhere = sorted({m.host for m in snapshot.by_group[group_id]
                            if m.host is not None and m.host != name})
        only[key] = elsewhere
    return items, only


def _affinity_why(key, elsewhere, targets):
    group_id = key[0][len("affinity:"):]
    if len(elsewhere) > 1:
        return "the other members of affinity group %s are split over %s" % (group_id, ", ".join(elsewhere))
    if elsewhere and elsewhere[0] not in targets:
        return "the rest of affinity group %s is on %s, which is not a target" % (group_id, elsewhere[0])
    return None


def solve_emptying(snapshot, name, targets, preferred=(), time_limit_s=2.0):
    """An `Emptying` of host `name` onto `targets` as the cloud stands, as
    much as it can onto `preferred` targets."""
    items, only = _items(snapshot, name)
    if not items:
        return Emptying({}, False)
    targets = [t for t in targets if t != name]
    target_set = set(targets)
    for key, elsewhere in only.items():
        why = _affinity_why(key, elsewhere, target_set)
        if why is not None:
            return Emptying(None, True, why)
    model = cp_model.CpModel()
    count = {}
    for key, moving in items.items():
        group = snapshot.groups.get(key[0]) if key[0] and key[0] in snapshot.groups else None
        most = capped_members(group) or len(moving)
        allowed = only.get(key) or targets
        for target in targets:
            top = min(len(moving), most) if target in allowed else 0
            count[key, target] = model.new_int_var(0, top, "")
        model.add(sum(count[key, target] for target in targets) == len(moving))
    capped_groups = {key[0] for key in items if key[0] and key[0] in snapshot.groups}
    held = {group_id: snapshot.members_per_host(group_id) for group_id in capped_groups}
    for target in targets:
        vcpus, ram_mb = snapshot.free(target)
        here = [(key, count[key, target]) for key in items]
        model.add(sum(key[1] * v for key, v in here) <= max(0, vcpus))
        model.add(sum(key[2] * v for key, v in here) <= max(0, ram_mb))
        for group_id in capped_groups:
            room = capped_members(snapshot.groups[group_id]) - held[group_id].get(target, 0)
            model.add(sum(v for key, v in here if key[0] == group_id) <= max(0, room))
    keep = set(preferred)
    model.minimize(sum((key[1] * _VCPU_WEIGHT + key[2]) * count[key, target]
                       for key in items for target in targets if target not in keep))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Emptying(None, status == cp_model.INFEASIBLE)
    placement = {}
    for key, moving in items.items():
        queue = list(moving)
        for target in targets:
            for _ in range(solver.value(count[key, target])):
                placement.update((instance_id, target) for instance_id in queue.pop())
    return Emptying(placement, False)


def placement_moves(snapshot, host, placement, default_type):
    """The moves of a `placement` that empties `host`, each with its type."""
    moving = {}
    for instance_id in placement:
        group_id = snapshot.instances[instance_id].group_id
        moving[group_id] = moving.get(group_id, 0) + 1
    moves = []
    for instance_id, target in sorted(placement.items()):
        instance = snapshot.instances[instance_id]
        group = snapshot.groups.get(instance.group_id) if instance.group_id else None
        together = group is not None and group.policy == "affinity" and moving[group.group_id] > 1
        moves.append({"instance": instance_id, "project_id": instance.project_id, "from": host,
                      "to": target, "type": move_type(instance, default_type, together)})
    return moves
