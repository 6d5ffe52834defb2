"""Properties of whole simulated sessions on random clouds.

Whatever the cloud, a session keeps capacity and hard group policies at
every step, maintains every host in scope exactly once, never moves an
instance off a maintained host, moves an instance twice only after a
PREPARE_MAINTENANCE or a round where no host could be emptied onto
maintained hosts (its reason says so), and decides the same way for the same input.
"""

import random

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner_clouds import scale_in_one_per_project

from rolling_maintenance.audit import inventory_violations
from rolling_maintenance.planner import iter_session, plan_next

FLAVORS = ((1, 512), (1, 1024), (2, 2048), (2, 4096), (4, 4096))
MIXED_HOSTS = ((2, 4096), (4, 8192), (8, 8192), (8, 16384))
POLICIES = ("anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity", None)
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _fits(cloud, used, groups, instance, name):
    host = next(h for h in cloud["hosts"] if h["name"] == name)
    vcpus, ram_mb = used.get(name, (0, 0))
    if vcpus + instance["vcpus"] > host["vcpus"] or ram_mb + instance["ram_mb"] > host["ram_mb"]:
        return False
    group_id = instance["group_id"]
    if group_id is None:
        return True
    members = [i["host"] for i in cloud["instances"] if i["group_id"] == group_id]
    if groups[group_id] == "anti-affinity":
        return name not in members
    if groups[group_id] == "affinity":
        return not members or members[0] == name
    return True


@st.composite
def clouds(draw, uniform=False, with_empty_host=False):
    """A sound cloud (capacity and hard policies kept) and a session's progress."""
    sizes = ((4, 8192),) if uniform else MIXED_HOSTS
    count = draw(st.integers(2 if with_empty_host else 1, 7))
    cloud = {"hosts": [], "instances": [], "groups": []}
    for number in range(count):
        vcpus, ram_mb = draw(st.sampled_from(sizes))
        enabled = draw(st.sampled_from((True, True, True, False)))
        cloud["hosts"].append({"name": "c%d" % number, "vcpus": vcpus, "ram_mb": ram_mb, "enabled": enabled})
    groups = {}
    for number in range(draw(st.integers(0, 3))):
        groups["g%d" % number] = draw(st.sampled_from(POLICIES))
        cloud["groups"].append({"group_id": "g%d" % number, "project_id": "p0", "policy": groups["g%d" % number]})
    names = [h["name"] for h in cloud["hosts"]]
    keep_empty = draw(st.sampled_from(names)) if with_empty_host else None
    used = {}
    for number in range(draw(st.integers(0, 5 * count))):
        vcpus, ram_mb = draw(st.sampled_from(FLAVORS))
        instance = {"id": "i%02d" % number, "project_id": draw(st.sampled_from(("p0", "p1", "p2"))),
                    "vcpus": vcpus, "ram_mb": ram_mb, "status": "ACTIVE",
                    "group_id": draw(st.sampled_from([None, None] + sorted(groups)))}
        if draw(st.integers(0, 9)) == 0:
            instance["status"] = "SHUTOFF"
        first = draw(st.integers(0, count - 1))
        for name in names[first:] + names[:first]:
            if name != keep_empty and _fits(cloud, used, groups, instance, name):
                instance["host"] = name
                cloud["instances"].append(instance)
                v, r = used.get(name, (0, 0))
                used[name] = (v + vcpus, r + ram_mb)
                break
    if with_empty_host:
        scope = sorted(set(draw(st.lists(st.sampled_from(names)))) | {keep_empty})
    else:
        scope = sorted(set(draw(st.lists(st.sampled_from(names)))))
    progress = {"hosts": scope, "maintained": [], "scale_in_rounds": 0,
                "max_scale_in_rounds": draw(st.integers(0, 3)),
                "default_migration_type": draw(st.sampled_from(("LIVE_MIGRATE", "MIGRATE")))}
    return cloud, progress


def _check_step(step, before, progress, history):
    """The rules one step must keep, given the cloud and progress before it."""
    hosts = {h["name"]: h for h in before["hosts"]}
    scope = set(progress["hosts"] or hosts)
    maintained = set(progress["maintained"])
    on = {}
    for instance in before["instances"]:
        on.setdefault(instance["host"], set()).add(instance["id"])
    state = step["state"]
    if state == "START_MAINTENANCE":
        for name in step["hosts"]:
            assert name in scope and name not in maintained and not on.get(name)
    if state in ("PREPARE_MAINTENANCE", "PLANNED_MAINTENANCE"):
        (source,) = step["hosts"]
        assert source in scope and source not in maintained
        assert {m["instance"] for m in step["moves"]} == on[source]
        assert step["projects"] == sorted({m["project_id"] for m in step["moves"]})
        if state == "PREPARE_MAINTENANCE":
            assert not maintained
        for move in step["moves"]:
            assert move["from"] == source != move["to"]
            target = move["to"]
            assert hosts[target]["enabled"] or target in maintained
            last_resort = "not maintained yet" in step["reason"]
            if state == "PLANNED_MAINTENANCE" and not last_resort:
                assert target in maintained or target not in scope
            earlier = history.setdefault(move["instance"], [])
            assert all(s in ("PREPARE_MAINTENANCE", "LAST_RESORT") for s in earlier), (move, earlier)
            moved_again = target in scope and target not in maintained
            earlier.append("LAST_RESORT" if last_resort and moved_again else state)
    if state == "SCALE_IN":
        assert progress["scale_in_rounds"] < progress["max_scale_in_rounds"]
    if state == "MAINTENANCE_FAILED":
        assert progress["scale_in_rounds"] >= progress["max_scale_in_rounds"]


def _run(cloud, progress):
    """Walk the session, checking each step; returns the steps and final progress."""
    assert inventory_violations(cloud) == []
    before, before_progress, steps, history = cloud, progress, [], {}
    for step, state in iter_session(cloud, progress, scale_in_one_per_project):
        assert plan_next(before, before_progress) == step
        _check_step(step, before, before_progress, history)
        before, before_progress = state.snapshot(), state.progress()
        assert inventory_violations(before) == []
        steps.append(step)
    return steps, before_progress


@SETTINGS
@given(clouds())
def test_sessions_keep_every_rule_at_every_step(case):
    cloud, progress = case
    steps, final = _run(cloud, progress)
    for state in sorted({s["state"] for s in steps}):
        event(state)
    scope = progress["hosts"] or [h["name"] for h in cloud["hosts"]]
    if steps[-1]["state"] == "MAINTENANCE_COMPLETE":
        assert sorted(final["maintained"]) == sorted(scope)
    else:
        assert steps[-1]["state"] == "MAINTENANCE_FAILED"
    assert len(set(final["maintained"])) == len(final["maintained"])


@SETTINGS
@given(clouds(uniform=True, with_empty_host=True))
def test_equal_hosts_and_an_empty_one_need_no_scale_in(case):
    cloud, progress = case
    steps, _ = _run(cloud, progress)
    assert [s["state"] for s in steps if s["state"] not in ("START_MAINTENANCE", "PLANNED_MAINTENANCE")] == [
        "MAINTENANCE_COMPLETE"]
    assert steps[0]["state"] == "START_MAINTENANCE"


@settings(max_examples=60, deadline=None)
@given(clouds(), st.randoms(use_true_random=False))
def test_the_same_input_in_any_order_gives_the_same_decision(case, rng):
    cloud, progress = case
    expected = plan_next(cloud, progress)
    assert plan_next(cloud, progress) == expected
    shuffled = {key: list(value) for key, value in cloud.items()}
    for value in shuffled.values():
        rng.shuffle(value)
    progress = dict(progress, hosts=random.Random(rng.random()).sample(progress["hosts"], len(progress["hosts"])))
    assert plan_next(shuffled, progress) == expected
