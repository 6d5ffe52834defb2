"""The solver-proven bound: exact on clouds worked out by hand, a bound
still when the solver runs out of time, never above a real plan; and the
benchmark's uneven clouds are clouds that can be maintained."""

import pytest
from hypothesis import HealthCheck, given, settings
from parallel_checks import check_plan
from test_parallel_properties import clouds

from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.offline.empty_at_once import OPTIMAL, ROOM_ONLY, TIMEOUT, most_empty
from rolling_maintenance.planner.offline.lower_bound import lower_bound_s
from rolling_maintenance.planner.offline.proven_bound import proven_bound
from rolling_maintenance.planner.offline.rounds import Refused, plan_rounds
from rolling_maintenance.planner.placement.serial_witness import serial_witness
from rolling_maintenance.planner.offline.uneven_clouds import UNEVEN_SCENARIOS, uneven_cloud
from rolling_maintenance.planner.schedule.duration import read_timing
from rolling_maintenance.planner.schedule.round_clock import makespan, simulate_rounds

GIB = 1024
# 100 s of maintenance; a 4 GiB instance moves in 8 s at best (live, 2 s/GiB).
TIMING = {"host_maintenance_s": 100, "live_migration_s_per_gib": 2, "cold_migration_s_per_gib": 4}


def four_hosts(groups=(), group_of=None):
    """Four hosts of 10 vcpus / 10 GiB, one instance of 4 vcpus / 4 GiB on
    each: two hosts can hold all four instances (two each), one cannot."""
    group_of = group_of or {}
    hosts = [{"name": "h%d" % n, "vcpus": 10, "ram_mb": 10 * GIB} for n in range(4)]
    instances = [{"id": "i%d" % n, "project_id": "p", "host": "h%d" % n, "vcpus": 4, "ram_mb": 4 * GIB,
                  "group_id": group_of.get(n)} for n in range(4)]
    return {"hosts": hosts, "instances": instances, "groups": list(groups), "timing": TIMING}


def anti_affinity(members, most=None):
    group = {"group_id": "g", "project_id": "p", "policy": "anti-affinity"}
    if most is not None:
        group["max_instances_per_host"] = most
    return four_hosts([group], {n: "g" for n in range(members)})


def test_two_of_four_hosts_can_be_empty_at_once_and_two_rounds_are_least():
    bound = proven_bound(four_hosts())
    assert bound["hosts_empty_at_once"] == 2 and bound["hosts_empty_at_once_source"] == OPTIMAL
    assert bound["rounds"] == 2 and bound["source"] == OPTIMAL
    assert bound["seconds"] == pytest.approx(2 * (100 + 8))


def test_an_anti_affinity_pair_still_lets_two_hosts_be_empty():
    assert proven_bound(anti_affinity(2))["hosts_empty_at_once"] == 2


def test_three_anti_affine_members_need_three_hosts_so_one_is_empty_at_once():
    inventory = anti_affinity(3)
    bound = proven_bound(inventory)
    assert bound["hosts_empty_at_once"] == 1 and bound["rounds"] == 4
    assert bound["seconds"] == pytest.approx(4 * (100 + 8))
    # The room alone would allow two at once: the solver's bound is the higher.
    assert lower_bound_s(inventory) == pytest.approx(2 * (100 + 8))
    assert bound["set_by"] == "fewest-rounds"


def test_two_members_per_host_allowed_lets_two_hosts_be_empty_again():
    assert proven_bound(anti_affinity(3, most=2))["hosts_empty_at_once"] == 2


def test_an_affinity_pair_moves_as_one_and_two_hosts_can_be_empty():
    group = {"group_id": "pair", "project_id": "p", "policy": "affinity"}
    inventory = four_hosts([group], {0: "pair"})
    inventory["instances"][1].update(host="h0", group_id="pair")
    assert proven_bound(inventory)["hosts_empty_at_once"] == 2


def test_a_host_out_of_scope_keeps_its_instances():
    inventory = four_hosts()
    inventory["instances"].append({"id": "big", "project_id": "p", "host": "h3", "vcpus": 6, "ram_mb": 6 * GIB})
    # h3 is full and stays so: h0-h2 hold 12 vcpus in 30, two of them hold 8 in 20.
    snapshot = parse_snapshot(inventory)
    assert most_empty(snapshot, ["h0", "h1", "h2"]).count == 1


def test_no_room_anywhere_gives_no_bound():
    inventory = four_hosts()
    for instance in inventory["instances"]:
        instance.update(vcpus=10, ram_mb=10 * GIB)
    bound = proven_bound(inventory)
    assert bound["hosts_empty_at_once"] == 0 and bound["seconds"] is None


def test_out_of_time_the_bound_is_a_relaxation_and_says_so():
    inventory = uneven_cloud(30, 0.10, seed=3)
    exact = proven_bound(inventory, time_limit_s=60)
    hurried = proven_bound(inventory, time_limit_s=0.001)
    assert hurried["source"] in (TIMEOUT, ROOM_ONLY)
    assert hurried["seconds"] <= exact["seconds"] + 1e-6
    assert hurried["hosts_empty_at_once"] >= exact["hosts_empty_at_once"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clouds())
def test_the_bound_never_exceeds_a_plan(inventory):
    try:
        rounds = plan_rounds(inventory, None)
    except Refused:
        return
    span = makespan(simulate_rounds(rounds, parse_snapshot(inventory), read_timing(inventory["timing"])))
    bound = proven_bound(inventory, time_limit_s=2)
    assert bound["seconds"] is not None and bound["seconds"] <= span + 1e-6


def assert_maintainable(inventory):
    """The serial plan the solver finds keeps every rule (checked apart)."""
    snapshot = parse_snapshot(inventory)
    order, left, rounds = serial_witness(snapshot, list(snapshot.hosts))
    assert left == [] and sorted(order) == sorted(snapshot.hosts)
    assert check_plan(inventory, rounds) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_uneven_clouds_can_be_maintained(seed):
    assert_maintainable(uneven_cloud(12, 0.06, seed=seed))


@pytest.mark.parametrize("name", ["uneven06-40", "uneven10-60"])
def test_the_benchmark_uneven_clouds_can_be_maintained(name):
    spec = UNEVEN_SCENARIOS[name]
    assert_maintainable(uneven_cloud(spec["hosts"], spec["spare"]))


def test_a_host_whose_instance_fits_nowhere_is_named():
    inventory = four_hosts()
    inventory["instances"][0].update(vcpus=10, ram_mb=10 * GIB)
    for instance in inventory["instances"][1:]:
        instance.update(vcpus=6, ram_mb=6 * GIB)
    snapshot = parse_snapshot(inventory)
    order, left, _rounds = serial_witness(snapshot, list(snapshot.hosts))
    assert order == [] and left == ["h0", "h1", "h2", "h3"]


def test_uneven_clouds_mix_sizes_flavours_and_group_rules():
    inventory = uneven_cloud(60, 0.10)
    assert len({(h["vcpus"], h["ram_mb"]) for h in inventory["hosts"]}) == 3
    shapes = {i["ram_mb"] // GIB // i["vcpus"] for i in inventory["instances"]}
    assert min(shapes) <= 1 and max(shapes) >= 8
    policies = {g["policy"] for g in inventory["groups"]}
    assert policies == {"anti-affinity", "affinity", "soft-anti-affinity"}
    anti = [g for g in inventory["groups"] if g["policy"] == "anti-affinity"]
    assert {g["max_impacted_members"] for g in anti} == {1, 2}
    assert {g["recovery_time"] for g in anti} == {0, 60, 120, 180}
    sizes = {sum(1 for i in inventory["instances"] if i.get("group_id") == g["group_id"]) for g in anti}
    assert min(sizes) == 2 and max(sizes) == 5
