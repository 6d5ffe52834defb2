"""Rounds after the first composed by the solver: where the greedy's
cheapest host first takes the room a bigger host needed."""

from planner_clouds import cloud, host, progress, vm

from rolling_maintenance.planner import plan_next
from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.placement.round_solver import compose_round


def small_first_big_second():
    """`m` maintained and empty (10 vcpus / 10 GiB); `a` (10 / 10 GiB)
    holds 2 GiB, `b` (16 / 16 GiB) two instances of 4.5 GiB: `a` is
    cheapest, but then `b` no longer fits in the round, and `b` alone is
    more of the cloud (either order can finish the session)."""
    hosts = [host("m", vcpus=10, ram_mb=10240), host("a", vcpus=10, ram_mb=10240),
             host("b", vcpus=16, ram_mb=16384)]
    instances = [vm("a1", "a", ram_mb=2048), vm("b1", "b", ram_mb=4608), vm("b2", "b", ram_mb=4608)]
    return cloud(hosts, instances)


def test_the_solver_takes_the_host_that_frees_the_most_room():
    snapshot = small_first_big_second()
    step = plan_next(snapshot, progress(maintained=["m"], max_parallel_hosts=None))
    assert step["hosts"] == ["b"]
    assert sorted(m["instance"] for m in step["moves"]) == ["b1", "b2"]
    assert {m["to"] for m in step["moves"]} == {"m"}


def test_serial_sessions_keep_the_cheapest_host_first():
    step = plan_next(small_first_big_second(), progress(maintained=["m"], max_parallel_hosts=1))
    assert step["hosts"] == ["a"]


def test_anti_affinity_keeps_members_apart_on_the_targets():
    hosts = [host("m1", vcpus=8, ram_mb=8192), host("m2", vcpus=8, ram_mb=8192),
             host("a", vcpus=8, ram_mb=8192), host("b", vcpus=8, ram_mb=8192)]
    instances = [vm("a1", "a", group="g"), vm("b1", "b", group="g")]
    snapshot = parse_snapshot(cloud(hosts, instances, [{"group_id": "g", "project_id": "p1",
                                                        "policy": "anti-affinity"}]))
    targets = {"m1": snapshot.free("m1"), "m2": snapshot.free("m2")}
    hosts_chosen, moves = compose_round(snapshot, ["a", "b"], targets, None, "LIVE_MIGRATE")
    assert sorted(hosts_chosen) == ["a", "b"]
    assert sorted(m["to"] for m in moves) == ["m1", "m2"]
