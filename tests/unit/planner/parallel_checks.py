"""An independent check of a whole plan, move by move, for the tests."""

from hypothesis import strategies as st

from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.schedule.duration import read_timing
from rolling_maintenance.planner.schedule.round_clock import simulate_rounds


def impact_problems(inventory, rounds):
    """Groups with more members impacted at once than they allow, on the
    replayed clock: a member is impacted from the start of its move until
    the move ended and the group's recovery time passed."""
    groups = {g["group_id"]: g for g in inventory["groups"]}
    group_of = {i["id"]: i.get("group_id") for i in inventory["instances"]}
    replay = simulate_rounds(rounds, parse_snapshot(inventory), read_timing(inventory.get("timing")))
    problems = []
    for number, timed in enumerate(replay):
        spans = {}
        for move, start, end in timed["moves"]:
            gid = group_of.get(move["instance"])
            if gid and groups[gid].get("max_impacted_members") is not None:
                spans.setdefault(gid, []).append((start, end + (groups[gid].get("recovery_time") or 0)))
        for gid, intervals in spans.items():
            edges = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
            most = current = 0
            for _at, step in edges:
                current += step
                most = max(most, current)
            if most > groups[gid]["max_impacted_members"]:
                problems.append("round %d: group %s has %d impacted at once" % (number, gid, most))
    return problems


def _members_hosts(state, groups, instance_group):
    return {gid: [h for i, h in state.items() if instance_group.get(i) == gid] for gid in groups}


def check_plan(inventory, rounds):
    """Every problem of `rounds` for `inventory` (all hosts in scope)."""
    problems = []
    size = {h["name"]: (h["vcpus"], h["ram_mb"]) for h in inventory["hosts"]}
    state = {i["id"]: i["host"] for i in inventory["instances"]}
    need = {i["id"]: (i["vcpus"], i["ram_mb"]) for i in inventory["instances"]}
    group_of = {i["id"]: i.get("group_id") for i in inventory["instances"] if i.get("group_id")}
    groups = {g["group_id"]: g for g in inventory["groups"]}
    maintained = []
    for number, one in enumerate(rounds):
        where = "round %d" % number
        round_hosts = set(one["hosts"])
        used = {h: [0, 0] for h in size}
        for instance_id, on in state.items():
            if on is not None:
                used[on][0] += need[instance_id][0]
                used[on][1] += need[instance_id][1]
        in_flight = {}
        for move in one["moves"]:
            instance_id = move["instance"]
            if move["from"] not in round_hosts or state[instance_id] != move["from"]:
                problems.append("%s: %s does not leave a host of the round" % (where, instance_id))
            if move["to"] in round_hosts:
                problems.append("%s: %s goes to %s, a host of the round" % (where, instance_id, move["to"]))
            used[move["to"]][0] += need[instance_id][0]
            used[move["to"]][1] += need[instance_id][1]
            in_flight[instance_id] = move["to"]
        for name, (vcpus, ram_mb) in used.items():
            if vcpus > size[name][0] or ram_mb > size[name][1]:
                problems.append("%s: %s over capacity during the moves" % (where, name))
        for gid, group in groups.items():
            members = [i for i, g in group_of.items() if g == gid]
            if group["policy"] == "anti-affinity":
                places = [state[i] for i in members] + [in_flight[i] for i in members if i in in_flight]
                if len(places) != len(set(places)):
                    problems.append("%s: anti-affinity group %s shares a host during the moves" % (where, gid))
        for instance_id, target in in_flight.items():
            state[instance_id] = target
        for gid, group in groups.items():
            members = [state[i] for i, g in group_of.items() if g == gid]
            if group["policy"] == "affinity" and len(set(members)) > 1:
                problems.append("%s: affinity group %s split" % (where, gid))
        left = [i for i, on in state.items() if on in round_hosts]
        if left:
            problems.append("%s: %s still on the round's hosts" % (where, left))
        maintained.extend(one["hosts"])
    if sorted(maintained) != sorted(size):
        problems.append("hosts maintained %s, not each once" % sorted(maintained))
    done = set(maintained)
    stray = [i for i, on in state.items() if on is not None and on not in done]
    if stray:
        problems.append("instances not on a maintained host: %s" % stray)
    return problems + impact_problems(inventory, rounds)


def draw_instances(draw, hosts, groups, count, size, id_format="i%d", extra=None):
    """Instances drawn onto `hosts` as a cloud could hold them: each within
    its host's room, and a group member kept only where its group's policy
    allows it. `size` draws `(vcpus, ram_mb)`; `extra` more fields."""
    names = [h["name"] for h in hosts]
    free = {h["name"]: [h["vcpus"], h["ram_mb"]] for h in hosts}
    instances, placed = [], {}
    for number in range(count):
        vcpus, ram_mb = size()
        on = draw(st.sampled_from(names))
        group = draw(st.none() | st.sampled_from([g["group_id"] for g in groups])) if groups else None
        if free[on][0] < vcpus or free[on][1] < ram_mb:
            continue
        if group is not None:
            policy = groups[int(group[1:])]["policy"]
            there = placed.setdefault(group, [])
            if policy == "anti-affinity" and on in there or policy == "affinity" and there and on != there[0]:
                group = None
            else:
                there.append(on)
        free[on][0] -= vcpus
        free[on][1] -= ram_mb
        instances.append(dict({"id": id_format % number, "project_id": "p", "host": on, "vcpus": vcpus,
                               "ram_mb": ram_mb, "group_id": group}, **(extra() if extra else {})))
    return instances
