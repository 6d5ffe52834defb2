"""The duration model, the replay on the clock and the lower bound."""

import pytest
from planner_clouds import cloud, host, vm

from rolling_maintenance.planner import InvalidInput
from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.offline.lower_bound import (
    any_order_bound_s,
    lower_bound_s,
    most_empty_at_once,
    room_seconds,
)
from rolling_maintenance.planner.schedule.duration import cold_s, live_s, read_timing
from rolling_maintenance.planner.schedule.round_clock import makespan, simulate_rounds

TIMING = {"host_maintenance_s": 100, "live_migration_s_per_gib": 10, "cold_migration_s_per_gib": 4}


def two_hosts(**extra):
    inventory = cloud([host("a", vcpus=8, ram_mb=8192), host("b", vcpus=8, ram_mb=8192),
                       host("c", vcpus=8, ram_mb=8192)],
                      [vm("x", "a", ram_mb=2048, **extra), vm("y", "a", ram_mb=1024), vm("z", "b", ram_mb=1024)])
    inventory["timing"] = dict(TIMING)
    return inventory


def test_live_and_cold_scale_with_ram_and_dirty_rate_slows_live():
    snapshot = parse_snapshot(two_hosts())
    timing = read_timing(TIMING)
    assert live_s(snapshot.instances["x"], timing) == 20
    assert cold_s(snapshot.instances["x"], timing) == 8
    dirty = parse_snapshot(two_hosts(ram_dirty_rate=51.2)).instances["x"]
    assert live_s(dirty, timing) == pytest.approx(20 / (1 - 0.5))
    hot = parse_snapshot(two_hosts(ram_dirty_rate=10 ** 6)).instances["x"]
    assert live_s(hot, timing) == pytest.approx(20 / (1 - 0.9))


def test_bad_timing_is_named():
    with pytest.raises(InvalidInput, match="timing: 'host_maintenance_s' must be a non-negative number"):
        read_timing({"host_maintenance_s": "long"})


def test_moves_of_one_source_run_one_after_the_other_sources_in_parallel():
    inventory = two_hosts()
    rounds = [{"hosts": ["a", "b"], "moves": [
        {"instance": "x", "from": "a", "to": "c", "type": "LIVE_MIGRATE"},
        {"instance": "y", "from": "a", "to": "c", "type": "MIGRATE"},
        {"instance": "z", "from": "b", "to": "c", "type": "LIVE_MIGRATE"}]},
        {"hosts": ["c"], "moves": []}]
    replay = simulate_rounds(rounds, parse_snapshot(inventory), read_timing(TIMING))
    first = replay[0]
    assert [(m["instance"], start, end) for m, start, end in first["moves"]] == [
        ("x", 0, 20), ("z", 0, 10), ("y", 20, 24)]
    assert first["maintenance_start_s"] == 24 and first["end_s"] == 124
    assert replay[1] == {"start_s": 124, "end_s": 224, "maintenance_start_s": 124, "moves": []}
    assert makespan(replay) == 224


def test_lead_time_and_recovery_delay_a_round():
    inventory = two_hosts(lead_time=50)
    inventory["groups"] = [{"group_id": "g", "project_id": "p1", "policy": "anti-affinity",
                            "recovery_time": 1000}]
    inventory["instances"][0]["group_id"] = "g"
    rounds = [{"hosts": ["a"], "moves": [{"instance": "x", "from": "a", "to": "b", "type": "LIVE_MIGRATE"},
                                         {"instance": "y", "from": "a", "to": "c", "type": "LIVE_MIGRATE"}]},
              {"hosts": ["b"], "moves": [{"instance": "x", "from": "b", "to": "a", "type": "LIVE_MIGRATE"},
                                         {"instance": "z", "from": "b", "to": "a", "type": "LIVE_MIGRATE"}]}]
    replay = simulate_rounds(rounds, parse_snapshot(inventory), read_timing(TIMING))
    assert replay[0]["moves"][0][1:] == (50, 70)
    assert replay[1]["start_s"] == 180
    assert replay[1]["moves"][0][1] == 70 + 1000


def test_spare_room_bounds_the_hosts_empty_at_once():
    inventory = cloud([host("h%d" % i, vcpus=4, ram_mb=4096) for i in range(5)],
                      [vm("v%d" % i, "h%d" % (i % 5), ram_mb=2048) for i in range(5)])
    snapshot = parse_snapshot(inventory)
    assert most_empty_at_once(snapshot, sorted(snapshot.hosts)) == 2
    full = cloud([host("a")], [vm("v", "a", vcpus=2)])
    assert lower_bound_s(full) is None


def test_lower_bound_counts_rounds_of_maintenance_after_the_first_evacuation():
    inventory = cloud([host("h%d" % i, vcpus=4, ram_mb=4096) for i in range(5)],
                      [vm("v%d" % i, "h%d" % (i % 5), vcpus=1, ram_mb=2048) for i in range(5)])
    inventory["timing"] = dict(TIMING)
    # S = 2, ceil(5 / 2) = 3 maintenances of 100 s in a row, none before one
    # move of 2 GiB at 4 s/GiB cold; in rounds, each of the 3 rounds empties a host.
    assert any_order_bound_s(inventory) == 8 + 300
    assert lower_bound_s(inventory) == 3 * (8 + 100)


def test_room_over_time_counts_each_emptying_as_it_goes():
    inventory = cloud([host("a", vcpus=8, ram_mb=4096), host("b", vcpus=8, ram_mb=8192)],
                      [vm("x", "a", vcpus=1, ram_mb=1024), vm("y", "a", vcpus=3, ram_mb=2048)])
    snapshot = parse_snapshot(inventory)
    timing = read_timing({"live_migration_s_per_gib": 10, "cold_migration_s_per_gib": 10})
    # a is emptied in 10 + 20 s then maintained 100 s: its whole size for
    # 100 s, its free room for 30 s, each instance from its move's start.
    assert room_seconds(snapshot, "a", "ram_mb", 100, timing) == 4096 * 100 + 1024 * 30 + 2048 * 30 + 1024 * 10
    # vcpus: x takes 10 s per vcpu, y 6.7 s: x first makes the sum least.
    assert room_seconds(snapshot, "a", "vcpus", 100, timing) == 8 * 100 + 4 * 30 + 1 * 30 + 3 * 20


def test_a_disabled_host_in_scope_counts_its_room_and_one_out_of_scope_does_not():
    hosts = [host("off", vcpus=4, ram_mb=4096, enabled=False), host("a", vcpus=4, ram_mb=4096),
             host("b", vcpus=4, ram_mb=4096)]
    snapshot = parse_snapshot(cloud(hosts, [vm("v", "off", vcpus=4, ram_mb=4096)]))
    # Once maintained, "off" takes instances again: two hosts can be empty at once.
    assert most_empty_at_once(snapshot, ["a", "b", "off"]) == 2
    assert most_empty_at_once(snapshot, ["a", "b"]) == 2
    snapshot = parse_snapshot(cloud(hosts, [vm("v", "a", vcpus=4, ram_mb=4096)]))
    assert most_empty_at_once(snapshot, ["a", "b"]) == 1
