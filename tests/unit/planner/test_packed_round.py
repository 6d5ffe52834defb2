"""The first round packed together: wider where host after host stops short."""

from parallel_checks import check_plan
from planner_clouds import cloud, group, host, vm

from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.offline.bench_clouds import bench_cloud
from rolling_maintenance.planner.offline.rounds import plan_rounds
from rolling_maintenance.planner.placement.evacuation import evacuate, evacuate_together
from rolling_maintenance.planner.placement.target_pool import TargetPool
from rolling_maintenance.planner.strategy.packed_round import widest_packed_round

GB = 1024


def two_sources(groups=(), member_of=None):
    """a (2 + 1 GB) and b (3 + 2 GB) to empty onto t1 and t2, 4 GB free
    each; `member_of`: `{instance id: group id}`."""
    member_of = member_of or {}
    sizes = {"a2": ("a", 2), "a1": ("a", 1), "b3": ("b", 3), "b2": ("b", 2), "t1-own": ("t1", 4),
             "t2-own": ("t2", 4)}
    instances = [vm(name, on, ram_mb=gb * GB, group=member_of.get(name)) for name, (on, gb) in sizes.items()]
    hosts = [host(name, vcpus=16, ram_mb=8 * GB) for name in ("a", "b", "t1", "t2")]
    return parse_snapshot(cloud(hosts, instances, groups))


def pool_of(snapshot, names):
    return TargetPool({name: snapshot.free(name) for name in names})


def test_host_after_host_leaves_gaps_that_packing_together_fills():
    snapshot = two_sources()
    pool = pool_of(snapshot, ["t1", "t2"])
    first, _ = evacuate(snapshot, "a", pool, "LIVE_MIGRATE")
    for move in first:
        pool.take(move["to"], 1, snapshot.instances[move["instance"]].ram_mb)
    assert evacuate(snapshot, "b", pool, "LIVE_MIGRATE")[0] is None

    pool = pool_of(snapshot, ["t1", "t2"])
    moves, stuck = evacuate_together(snapshot, ["a", "b"], pool, "LIVE_MIGRATE")
    assert stuck is None
    load = {}
    for move in moves:
        load[move["to"]] = load.get(move["to"], 0) + snapshot.instances[move["instance"]].ram_mb
    assert load == {"t1": 4 * GB, "t2": 4 * GB}
    assert {m["instance"]: m["from"] for m in moves} == {"a2": "a", "a1": "a", "b3": "b", "b2": "b"}
    assert pool.free("t1") == snapshot.free("t1"), "a trial leaves the pool as it found it"


def test_packing_together_keeps_anti_affinity_between_the_sources():
    """b3 takes t1, a2 t2; b2 would fill t2 but a2, of its group, is
    placed there, and t1 has 1 GB left."""
    snapshot = two_sources([group("ha", "anti-affinity")], {"a2": "ha", "b2": "ha"})
    moves, stuck = evacuate_together(snapshot, ["a", "b"], pool_of(snapshot, ["t1", "t2"]), "LIVE_MIGRATE")
    assert moves is None
    assert stuck.describe().startswith("instance b2 of project p1")
    assert "anti-affinity group ha has a member on every target with room" in stuck.describe()


def test_the_widest_prefix_within_the_moved_twice_share():
    snapshot = parse_snapshot(bench_cloud(20, 0.3, seed=2))
    names = sorted(snapshot.hosts)
    pool = pool_of(snapshot, names)
    found = widest_packed_round(snapshot, names, pool, "LIVE_MIGRATE", None, (frozenset(names), 60), 1)
    assert found is not None and found[0] == names[:3]
    assert len(found[1]) == 60
    assert widest_packed_round(snapshot, names, pool, "LIVE_MIGRATE", 2, None, 1)[0] == names[:2]
    assert widest_packed_round(snapshot, names, pool, "LIVE_MIGRATE", 2, None, 2) is None


def test_a_cloud_with_a_tenth_free_is_maintained_in_the_fewest_rounds():
    """100 hosts, 10 % free: ten hosts empty at once leave every other
    host full to the GiB; rounds of ten, ten of them."""
    inventory = bench_cloud(100, 0.10)
    rounds = plan_rounds(inventory)
    assert [len(r["hosts"]) for r in rounds] == [10] * 10
    assert check_plan(inventory, rounds) == []
    in_first = {m["instance"] for m in rounds[0]["moves"]}
    assert len(in_first) == 200, "the first round moves the 10 % allowed to move twice"
