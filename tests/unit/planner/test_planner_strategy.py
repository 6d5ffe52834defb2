"""The rules of the default workflow, one by one."""

import json

import pytest

from planner_clouds import cloud, group, host, progress, vm

from rolling_maintenance.planner import InvalidInput, apply_moves, plan_next


def test_every_host_maintained_completes_with_the_projects_in_scope():
    snapshot = cloud([host("a"), host("b"), host("out")],
                     [vm("i1", "a", project="p2"), vm("i2", "b", project="p1"), vm("i3", "out", project="p9")])
    step = plan_next(snapshot, progress(hosts=["a", "b"], maintained=["b", "a"]))
    assert step["state"] == "MAINTENANCE_COMPLETE"
    assert step["projects"] == ["p1", "p2"]
    assert step["instances_by_project"] == {"p1": ["i2"], "p2": ["i1"]}
    assert step["hosts"] == [] and step["moves"] == []
    assert "all 2 hosts in scope are maintained" in step["reason"]


def test_empty_hosts_are_maintained_first_all_of_them_in_name_order():
    snapshot = cloud([host("c"), host("a"), host("b"), host("d", enabled=False), host("e")],
                     [vm("i1", "b")])
    step = plan_next(snapshot, progress(hosts=["a", "b", "c", "d"], maintained=["c"]))
    assert step["state"] == "START_MAINTENANCE"
    assert step["hosts"] == ["a", "d"]
    assert step["projects"] == [] and step["moves"] == []
    assert "a, d are empty" in step["reason"] and "1 of 4 hosts maintained" in step["reason"]


def test_empty_host_out_of_scope_is_not_maintained():
    snapshot = cloud([host("a"), host("b"), host("out")], [vm("i1", "a"), vm("i2", "b", vcpus=2)])
    step = plan_next(snapshot, progress(hosts=["a", "b"]))
    assert step["state"] == "PREPARE_MAINTENANCE"
    assert step["hosts"] == ["a"]
    assert step["moves"][0]["to"] == "out"


def _with_maintained_room(instances):
    hosts = {i["host"] for i in instances}
    return cloud([host("m", vcpus=8, ram_mb=16384)] + [host(h, vcpus=4, ram_mb=8192) for h in sorted(hosts)],
                 instances)


def test_planned_picks_the_host_that_moves_the_least_ram():
    snapshot = _with_maintained_room([
        vm("x1", "x", ram_mb=2048), vm("y1", "y", ram_mb=1024), vm("y2", "y", ram_mb=1024),
        vm("z1", "z", ram_mb=1024, project="p2"), vm("z2", "z", ram_mb=512, project="p3")])
    step = plan_next(snapshot, progress(maintained=["m"]))
    assert step["state"] == "PLANNED_MAINTENANCE" and step["hosts"] == ["z"]
    assert step["projects"] == ["p2", "p3"]
    assert step["instances_by_project"] == {"p2": ["z1"], "p3": ["z2"]}
    assert [(m["instance"], m["from"], m["to"], m["type"]) for m in step["moves"]] == [
        ("z1", "z", "m", "LIVE_MIGRATE"), ("z2", "z", "m", "LIVE_MIGRATE")]
    assert ("z is the cheapest host to empty onto maintained hosts: 2 instances, 2 vcpus and 1536 MB "
            "to move (1 of 4 hosts maintained)") in step["reason"]


def test_at_equal_ram_fewer_instances_then_the_name_decide():
    snapshot = _with_maintained_room([
        vm("y1", "y", ram_mb=1024), vm("y2", "y", ram_mb=1024), vm("x1", "x", ram_mb=2048)])
    assert plan_next(snapshot, progress(maintained=["m"]))["hosts"] == ["x"]
    snapshot = _with_maintained_room([vm("x1", "x", ram_mb=2048), vm("w1", "w", ram_mb=2048)])
    assert plan_next(snapshot, progress(maintained=["m"]))["hosts"] == ["w"]


def test_planned_skips_a_cheaper_host_that_cannot_be_emptied():
    snapshot = cloud([host("m", vcpus=2), host("a", vcpus=4), host("b", vcpus=4)],
                     [vm("m1", "m", group="aa"), vm("a1", "a", group="aa", ram_mb=512),
                      vm("b1", "b", ram_mb=1024)],
                     [group("aa", "anti-affinity")])
    step = plan_next(snapshot, progress(maintained=["m"]))
    assert step["state"] == "PLANNED_MAINTENANCE" and step["hosts"] == ["b"]


def test_when_no_host_fits_on_maintained_ones_one_is_emptied_onto_any_host_before_a_scale_in():
    snapshot = cloud([host("m", vcpus=1), host("a", vcpus=8, ram_mb=16384), host("b", vcpus=2)],
                     [vm("m1", "m"), vm("a1", "a"), vm("b1", "b"), vm("b2", "b")])
    step = plan_next(snapshot, progress(maintained=["m"]))
    # b can be emptied (onto a, not maintained yet): no scale-in while a host can be.
    assert step["state"] == "PLANNED_MAINTENANCE" and step["hosts"] == ["b"]
    assert {m["to"] for m in step["moves"]} == {"a"}
    assert "not maintained yet" in step["reason"]
    after = apply_moves(snapshot, step["moves"])
    step = plan_next(after, progress(maintained=["m", "b"]))
    # a now holds 3 vcpus and m and b have 2 free between them: proved stuck.
    assert step["state"] == "SCALE_IN"
    assert "onto maintained hosts:" in step["reason"]
    assert "proved (by the room left or by the solver) that none of the 1 host left can be emptied" in step["reason"]


def test_a_host_the_best_fit_cannot_empty_is_emptied_by_the_solver():
    # Best fit puts the ram-heavy instance on m1, whose ram it fills up to the
    # last MB, and then has no host for the cpu-heavy one; the other way round
    # both fit.
    snapshot = cloud([host("m1", vcpus=4, ram_mb=4096), host("m2", vcpus=1, ram_mb=5120),
                      host("x", vcpus=4, ram_mb=8192)],
                     [vm("ram-heavy", "x", vcpus=1, ram_mb=4096), vm("cpu-heavy", "x", vcpus=3, ram_mb=1024)])
    step = plan_next(snapshot, progress(maintained=["m1", "m2"]))
    assert step["state"] == "PLANNED_MAINTENANCE", step["reason"]
    assert {m["instance"]: m["to"] for m in step["moves"]} == {"ram-heavy": "m2", "cpu-heavy": "m1"}


def test_planned_uses_enabled_hosts_out_of_scope():
    snapshot = cloud([host("m", vcpus=1), host("a"), host("out", vcpus=4), host("off", vcpus=4, enabled=False)],
                     [vm("m1", "m"), vm("a1", "a"), vm("a2", "a")])
    step = plan_next(snapshot, progress(hosts=["m", "a"], maintained=["m"]))
    assert step["state"] == "PLANNED_MAINTENANCE"
    assert {m["to"] for m in step["moves"]} == {"out"}
    assert "onto maintained hosts or enabled hosts out of scope" in step["reason"]


def test_a_disabled_maintained_host_is_a_target():
    snapshot = cloud([host("m", enabled=False), host("a")], [vm("a1", "a")])
    step = plan_next(snapshot, progress(maintained=["m"]))
    assert step["state"] == "PLANNED_MAINTENANCE" and step["moves"][0]["to"] == "m"


def test_a_disabled_host_not_maintained_is_no_target():
    snapshot = cloud([host("a"), host("b", vcpus=4, enabled=False), host("c", vcpus=4)],
                     [vm("a1", "a"), vm("a2", "a"), vm("b1", "b"), vm("c1", "c"), vm("c2", "c", vcpus=2)])
    step = plan_next(snapshot, progress())
    # b (disabled, 3 vcpus free) would take a's instances; c is the only target with room, for b1 only
    assert step["state"] == "PREPARE_MAINTENANCE" and step["hosts"] == ["b"]
    assert step["moves"][0]["to"] == "c"
    snapshot["instances"].append(vm("c3", "c"))
    step = plan_next(snapshot, progress())
    assert step["state"] == "SCALE_IN"


def test_a_disabled_host_in_scope_is_still_emptied_and_maintained():
    snapshot = cloud([host("a", enabled=False), host("b", vcpus=4)], [vm("a1", "a"), vm("b1", "b")])
    step = plan_next(snapshot, progress())
    assert step["state"] == "PREPARE_MAINTENANCE" and step["hosts"] == ["a"]
    assert step["moves"][0]["to"] == "b"


def test_prepare_picks_the_cheapest_host_and_lists_its_projects():
    snapshot = cloud([host(name, vcpus=4, ram_mb=8192) for name in ("a", "b", "c")],
                     [vm("a1", "a", project="p2"), vm("a2", "a", project="p1"), vm("b1", "b", ram_mb=4096),
                      vm("c1", "c", ram_mb=3072)])
    step = plan_next(snapshot, progress())
    assert step["state"] == "PREPARE_MAINTENANCE" and step["hosts"] == ["a"]
    assert step["projects"] == ["p1", "p2"]
    assert step["instances_by_project"] == {"p1": ["a2"], "p2": ["a1"]}
    assert {m["to"] for m in step["moves"]} == {"b"}
    assert step["reason"].startswith("no host is empty and none maintained yet: a is the cheapest")


def test_scale_in_names_every_project_in_scope_and_what_is_missing():
    snapshot = cloud([host("a"), host("b"), host("out", vcpus=0, ram_mb=0)],
                     [vm("a1", "a", project="p1", vcpus=2), vm("b1", "b", project="p2"),
                      vm("b2", "b", project="p3", ram_mb=3072), vm("o1", "out", project="p9", vcpus=0, ram_mb=0)])
    step = plan_next(snapshot, progress(hosts=["a", "b"]))
    assert step["state"] == "SCALE_IN"
    assert step["projects"] == ["p1", "p2", "p3"]
    assert step["instances_by_project"] == {"p1": ["a1"], "p2": ["b1"], "p3": ["b2"]}
    assert ("emptying a, the closest, needs 2 vcpus and 1024 MB on the targets, "
            "which have 0 vcpus and 0 MB free: 2 vcpus and 1024 MB missing") in step["reason"]


def test_scale_in_when_room_exists_but_not_on_one_host():
    snapshot = cloud([host("a", vcpus=4), host("b", vcpus=3), host("c", vcpus=3), host("d", vcpus=3)],
                     [vm("a1", "a", vcpus=2), vm("a2", "a", vcpus=2), vm("b1", "b", vcpus=2),
                      vm("c1", "c", vcpus=2), vm("d1", "d", vcpus=2)])
    step = plan_next(snapshot, progress())
    assert step["state"] == "SCALE_IN"
    assert "room in total" in step["reason"]
    assert ("but not where it is needed: b: instance b1 of project p1 (2 vcpus and 1024 MB) fits on no target: "
            "no target has 2 vcpus and 1024 MB free") in step["reason"]


def test_max_scale_in_rounds_reached_fails_with_the_reason():
    snapshot = cloud([host("a"), host("b")], [vm("a1", "a", vcpus=2), vm("b1", "b", vcpus=2)])
    step = plan_next(snapshot, progress(rounds=2, max_rounds=2))
    assert step["state"] == "MAINTENANCE_FAILED"
    assert step["reason"].startswith(
        "no host can be emptied onto the other enabled hosts after 2 rounds of scale-in (at most 2)")
    assert "2 vcpus missing" in step["reason"]
    assert step["projects"] == [] and step["moves"] == []
    assert plan_next(snapshot, progress(max_rounds=0))["state"] == "MAINTENANCE_FAILED"
    assert plan_next(snapshot, progress(rounds=1, max_rounds=2))["state"] == "SCALE_IN"


def test_no_host_in_scope_is_complete_at_once():
    step = plan_next(cloud([], []), progress())
    assert step["state"] == "MAINTENANCE_COMPLETE" and "no host is in scope" in step["reason"]


def test_an_empty_scope_list_means_every_host():
    snapshot = cloud([host("a"), host("b")], [vm("a1", "a")])
    assert plan_next(snapshot, progress(maintained=["b"]))["hosts"] == ["a"]
    assert plan_next(snapshot, progress(maintained=["b", "a"]))["state"] == "MAINTENANCE_COMPLETE"


def test_the_step_is_plain_json_and_extra_keys_are_ignored():
    snapshot = cloud([host("a", state="up", zone="z1"), host("b")], [vm("a1", "a", name="web-1")])
    snapshot["generated_at"] = "2026-01-01T00:00:00Z"
    step = plan_next(snapshot, progress(extra="ignored"))
    assert json.loads(json.dumps(step)) == step
    assert list(step) == ["state", "reason", "hosts", "moves", "projects", "instances_by_project"]


def test_bad_input_raises_naming_it():
    snapshot = cloud([host("a")], [vm("a1", "nowhere")])
    with pytest.raises(InvalidInput, match="instance 'a1': host 'nowhere' is not a known host"):
        plan_next(snapshot, progress())
    with pytest.raises(InvalidInput, match="progress.maintained: 'z' is not one of the session's hosts"):
        plan_next(cloud([host("a")], []), progress(maintained=["z"]))


def test_a_full_cloud_is_proved_full_by_its_room_without_the_solver(monkeypatch):
    from rolling_maintenance.planner.strategy import last_resort

    # No time for the solver at all: the room alone proves no host can be emptied.
    monkeypatch.setattr(last_resort, "SOLVER_BUDGET_S", 0.0)
    snapshot = cloud([host("h%d" % i) for i in range(6)],
                     [vm("v%d-%d" % (i, n), "h%d" % i) for i in range(6) for n in range(2)])
    step = plan_next(snapshot, progress())
    assert step["state"] == "SCALE_IN", step["reason"]
    assert "proved (by the room left or by the solver) that none of the 6 hosts left can be emptied" in step["reason"]
