"""Where instances go: capacity, best fit, group policies, move types."""

import pytest

from planner_clouds import cloud, group, host, progress, vm

from rolling_maintenance.audit import inventory_violations
from rolling_maintenance.planner import plan_next
from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.placement.evacuation import evacuate
from rolling_maintenance.planner.placement.target_pool import TargetPool


def planned(snapshot, **extra):
    """The PLANNED step emptying `src` onto the maintained hosts m1..m3."""
    maintained = [h["name"] for h in snapshot["hosts"] if h["name"].startswith("m")]
    step = plan_next(snapshot, progress(maintained=maintained, **extra))
    assert step["state"] == "PLANNED_MAINTENANCE" and step["hosts"] == ["src"], step["reason"]
    return step


def targets(step):
    return {m["instance"]: m["to"] for m in step["moves"]}


def test_biggest_first_each_to_the_fullest_host_that_fits():
    snapshot = cloud(
        [host("src", vcpus=8, ram_mb=8192), host("m1", vcpus=8, ram_mb=4096), host("m2", vcpus=8, ram_mb=3072),
         host("m3", vcpus=8, ram_mb=8192)],
        [vm("small", "src", ram_mb=1024), vm("big", "src", ram_mb=3072), vm("mid", "src", ram_mb=2048)])
    step = planned(snapshot)
    assert [m["instance"] for m in step["moves"]] == ["big", "mid", "small"]
    # big fills m2 exactly; mid then goes to m1 (4096 free), small to what m1 has left
    assert targets(step) == {"big": "m2", "mid": "m1", "small": "m1"}


def test_vcpus_count_as_much_as_ram():
    snapshot = cloud([host("src", vcpus=4), host("m1", vcpus=1, ram_mb=8192), host("m2", vcpus=4, ram_mb=8192)],
                     [vm("two", "src", vcpus=2)])
    assert targets(planned(snapshot)) == {"two": "m2"}


def test_equal_fit_is_decided_by_name():
    snapshot = cloud([host("src"), host("m2"), host("m1")], [vm("i", "src")])
    assert targets(planned(snapshot)) == {"i": "m1"}


def test_anti_affinity_members_never_share_a_host_planned_moves_included():
    # src already (wrongly) holds two members: they must still end apart
    snapshot = cloud([host("src", vcpus=4), host("m1", vcpus=4), host("m2", vcpus=4), host("m3", vcpus=4)],
                     [vm("a", "src", group="aa"), vm("b", "src", group="aa"), vm("c", "m1", group="aa")],
                     [group("aa", "anti-affinity")])
    step = planned(snapshot)
    assert sorted(targets(step).values()) == ["m2", "m3"]


def test_anti_affinity_blocks_the_only_host_with_room():
    snapshot = cloud([host("src"), host("m1"), host("m2", vcpus=1)],
                     [vm("a", "src", group="aa"), vm("b", "m1", group="aa"), vm("x", "m2")],
                     [group("aa", "anti-affinity")])
    step = plan_next(snapshot, progress(maintained=["m1", "m2"]))
    assert step["state"] == "SCALE_IN"
    assert "instance a of project p1 (1 vcpu and 1024 MB) fits on no target: " \
           "anti-affinity group aa has a member on every target with room" in step["reason"]


def test_affinity_group_moves_together_by_own_action():
    snapshot = cloud([host("src", vcpus=4), host("m1", vcpus=1), host("m2", vcpus=4), host("m3", vcpus=2)],
                     [vm("a", "src", group="af"), vm("b", "src", group="af"), vm("solo", "src", vcpus=2)],
                     [group("af", "affinity")])
    step = planned(snapshot)
    moves = {m["instance"]: (m["to"], m["type"]) for m in step["moves"]}
    assert moves["a"] == moves["b"] == ("m3", "OWN_ACTION")
    assert moves["solo"] == ("m2", "LIVE_MIGRATE")
    assert inventory_violations(_after(snapshot, step)) == []


def test_affinity_group_without_one_host_with_room_for_all_cannot_move():
    snapshot = cloud([host("src", vcpus=4), host("m1", vcpus=1), host("m2", vcpus=1)],
                     [vm("a", "src", group="af"), vm("b", "src", group="af")],
                     [group("af", "affinity")])
    step = plan_next(snapshot, progress(maintained=["m1", "m2"]))
    assert step["state"] == "SCALE_IN"
    assert "affinity group af (a, b: 2 vcpus and 2048 MB together) fits on no target" in step["reason"]


def test_a_single_affinity_member_moves_like_any_instance():
    snapshot = cloud([host("src"), host("m1")], [vm("a", "src", group="af")], [group("af", "affinity")])
    assert planned(snapshot)["moves"][0]["type"] == "LIVE_MIGRATE"


def test_a_stray_affinity_member_joins_the_rest_of_its_group():
    snapshot = cloud([host("src"), host("m1", vcpus=4), host("m2", vcpus=4)],
                     [vm("a", "src", group="af"), vm("b", "m2", group="af")], [group("af", "affinity")])
    assert targets(planned(snapshot)) == {"a": "m2"}


def test_soft_anti_affinity_prefers_hosts_without_members_but_never_forbids():
    snapshot = cloud([host("src"), host("m1", vcpus=2), host("m2", vcpus=4)],
                     [vm("a", "src", group="sa"), vm("b", "m1", group="sa")],
                     [group("sa", "soft-anti-affinity")])
    assert targets(planned(snapshot)) == {"a": "m2"}
    snapshot["hosts"][2]["vcpus"] = 0
    assert targets(planned(snapshot)) == {"a": "m1"}


def test_soft_affinity_prefers_hosts_with_members_but_never_forbids():
    snapshot = cloud([host("src"), host("m1", vcpus=2), host("m2", vcpus=4)],
                     [vm("a", "src", group="sf"), vm("b", "m2", group="sf")],
                     [group("sf", "soft-affinity")])
    assert targets(planned(snapshot)) == {"a": "m2"}
    snapshot["hosts"][2]["vcpus"] = 1
    assert targets(planned(snapshot)) == {"a": "m1"}


def test_soft_affinity_members_leaving_together_stay_together():
    snapshot = cloud([host("src", vcpus=4), host("m1", vcpus=2), host("m2", vcpus=4)],
                     [vm("a", "src", group="sf"), vm("b", "src", group="sf")], [group("sf", "soft-affinity")])
    assert set(targets(planned(snapshot)).values()) == {"m1"}


def test_a_group_without_policy_constrains_nothing():
    snapshot = cloud([host("src", vcpus=4), host("m1", vcpus=4)],
                     [vm("a", "src", group="g"), vm("b", "src", group="g"), vm("c", "m1", group="g")],
                     [group("g", None)])
    assert set(targets(planned(snapshot)).values()) == {"m1"}


@pytest.mark.parametrize("extra, progress_default, expected", [
    ({}, None, "LIVE_MIGRATE"),
    ({}, "MIGRATE", "MIGRATE"),
    ({"migration_type": "OWN_ACTION"}, None, "OWN_ACTION"),
    ({"migration_type": "LIVE_MIGRATE"}, "MIGRATE", "LIVE_MIGRATE"),
    ({"status": "SHUTOFF"}, None, "MIGRATE"),
    ({"status": "SHUTOFF"}, "OWN_ACTION", "OWN_ACTION"),
])
def test_move_type(extra, progress_default, expected):
    snapshot = cloud([host("src"), host("m1")], [vm("a", "src", **extra)])
    options = {"default_migration_type": progress_default} if progress_default else {}
    assert planned(snapshot, **options)["moves"][0]["type"] == expected


def test_evacuate_is_a_trial_that_leaves_the_pool_as_it_was():
    snap = parse_snapshot(cloud([host("src", vcpus=4), host("m1", vcpus=4), host("m2", vcpus=4)],
                                [vm("a", "src"), vm("b", "src", vcpus=2)]))
    pool = TargetPool({"src": snap.free("src"), "m1": snap.free("m1"), "m2": (1, 4096)})
    moves, stuck = evacuate(snap, "src", pool, "LIVE_MIGRATE")
    assert stuck is None and [(m["instance"], m["to"]) for m in moves] == [("b", "m1"), ("a", "m1")]
    assert "src" in pool and pool.free("m1") == (4, 4096) and pool.free("m2") == (1, 4096)
    assert pool.best_fit(1, 1024) == "src"


def _after(snapshot, step):
    moved = {m["instance"]: m["to"] for m in step["moves"]}
    return dict(snapshot, instances=[dict(i, host=moved.get(i["id"], i["host"])) for i in snapshot["instances"]])
