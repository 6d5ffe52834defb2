"""The parallel strategy, rule by rule, on small clouds."""

import pytest
from planner_clouds import cloud, group, host, progress, vm

from rolling_maintenance.dryrun.avoidable import avoidable_migrations
from rolling_maintenance.planner import InvalidInput, plan_next
from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.offline.rounds import Refused, plan_rounds
from rolling_maintenance.planner.schedule.duration import read_timing
from rolling_maintenance.planner.schedule.round_clock import simulate_rounds
from rolling_maintenance.workflow import session_input
from rolling_maintenance.workflow.session_step import initial_progress, planner_progress, workflow_step


def session_step(snapshot, session, progress_now):
    """The step `maintenance.plan_next` publishes for a session with these fields."""
    session = dict(session_input.DEFAULTS, **session)
    decision = plan_next(snapshot, planner_progress(session, progress_now, snapshot))
    return workflow_step(decision, session, progress_now)


def spread(hosts=6, per_host=2, **host_extra):
    """`hosts` hosts of 4 vcpus / 8 GB, the last one empty, the others
    holding `per_host` instances of 1 vcpu / 1 GB."""
    names = ["h%d" % i for i in range(hosts)]
    instances = [vm("%s-%d" % (name, n), name) for name in names[:-1] for n in range(per_host)]
    return cloud([host(n, vcpus=4, ram_mb=8192, **host_extra) for n in names], instances)


def test_max_parallel_hosts_1_is_the_serial_strategy():
    snapshot = spread()
    serial = plan_next(snapshot, progress(maintained=["h5"]))
    assert plan_next(snapshot, progress(maintained=["h5"], max_parallel_hosts=1)) == serial
    assert len(serial["hosts"]) == 1


def test_parallel_empties_several_hosts_onto_maintained_ones():
    step = plan_next(spread(), progress(maintained=["h5"], max_parallel_hosts=None))
    assert step["state"] == "PLANNED_MAINTENANCE"
    assert len(step["hosts"]) == 2
    assert {m["to"] for m in step["moves"]} == {"h5"}
    assert {m["from"] for m in step["moves"]} == set(step["hosts"])


def test_limit_caps_the_round():
    snapshot = spread(hosts=8, per_host=1)
    step = plan_next(snapshot, progress(maintained=["h7"], max_parallel_hosts=2))
    assert len(step["hosts"]) == 2
    step = plan_next(snapshot, progress(maintained=["h7"], max_parallel_hosts=None))
    assert len(step["hosts"]) == 4


def test_targets_of_a_prepare_round_are_not_in_it():
    snapshot = cloud([host("h%d" % i, vcpus=4, ram_mb=8192) for i in range(4)],
                     [vm("v%d" % i, "h%d" % (i % 4)) for i in range(8)])
    step = plan_next(snapshot, progress(max_parallel_hosts=None, max_moved_twice_percent=100))
    assert step["state"] == "PREPARE_MAINTENANCE" and len(step["hosts"]) == 2
    assert not {m["to"] for m in step["moves"]} & set(step["hosts"])


def test_impacted_members_of_one_round_move_one_after_the_other():
    snapshot = cloud([host("a", vcpus=4, ram_mb=8192), host("b", vcpus=4, ram_mb=8192),
                      host("c", vcpus=4, ram_mb=8192)],
                     [vm("x", "a", group="g"), vm("y", "b", group="g")],
                     [dict(group("g", "soft-anti-affinity"), max_impacted_members=1, recovery_time=30)])
    snapshot["timing"] = {"host_maintenance_s": 100, "live_migration_s_per_gib": 10}
    rounds = plan_rounds(snapshot, None)
    assert [one["hosts"] for one in rounds] == [["c"], ["a", "b"]]
    first, second = rounds[1]["moves"]
    assert first["after"] == [] and second["after"] == [first["instance"]]
    timed = simulate_rounds(rounds, parse_snapshot(snapshot), read_timing(snapshot["timing"]))[1]["moves"]
    (_, start_1, end_1), (_, start_2, _end_2) = timed
    assert start_2 == end_1 + 30 and start_1 == timed[0][1]
    unlimited = dict(snapshot, groups=[group("g", "soft-anti-affinity")])
    moves = plan_rounds(unlimited, None)[1]["moves"]
    assert [m["after"] for m in moves] == [[], []]


@pytest.mark.parametrize("limit", [None, 1])
def test_a_group_that_can_never_be_impacted_is_refused(limit):
    snapshot = spread()
    snapshot["groups"] = [dict(group("g", "anti-affinity"), max_impacted_members=0)]
    snapshot["instances"][0]["group_id"] = "g"
    with pytest.raises(Refused, match="group g has h0-0 on h0 but allows no member to be impacted"):
        plan_rounds(snapshot, limit)
    step = plan_next(snapshot, progress(maintained=["h5"], hosts=["h0", "h5"], max_parallel_hosts=limit))
    assert step["state"] == "MAINTENANCE_FAILED" and "can never finish" in step["reason"]


def test_an_instance_that_fits_nowhere_is_refused_as_needing_scale_in():
    snapshot = cloud([host("a", vcpus=4, ram_mb=8192), host("b", vcpus=4, ram_mb=8192)],
                     [vm("big", "a", vcpus=4, ram_mb=8192), vm("other", "b", vcpus=4, ram_mb=8192)])
    with pytest.raises(Refused, match="scale in"):
        plan_rounds(snapshot, None)


@pytest.mark.parametrize("limit", [None, 1])
def test_cold_migration_only_when_it_fits_the_interruption_allowed(limit):
    snapshot = spread(hosts=3, per_host=1)
    snapshot["timing"] = {"cold_migration_s_per_gib": 30}
    snapshot["instances"][0]["max_interruption_time"] = 30
    snapshot["instances"][1]["max_interruption_time"] = 29
    types = {m["instance"]: m["type"] for one in plan_rounds(snapshot, limit) for m in one["moves"]}
    assert types == {"h0-0": "MIGRATE", "h1-0": "LIVE_MIGRATE"}


@pytest.mark.parametrize("limit", [None, 1])
def test_own_migration_type_wins_over_the_interruption_rule(limit):
    snapshot = spread(hosts=2, per_host=1)
    snapshot["instances"][0].update(max_interruption_time=1000, migration_type="LIVE_MIGRATE")
    (move,) = [m for one in plan_rounds(snapshot, limit) for m in one["moves"]]
    assert move["type"] == "LIVE_MIGRATE"


def test_max_instances_per_host_is_kept():
    snapshot = cloud([host("a", vcpus=8, ram_mb=16384), host("b", vcpus=8, ram_mb=16384),
                      host("c", vcpus=8, ram_mb=16384)],
                     [vm("x", "a", group="g"), vm("y", "b", group="g"), vm("z", "c", group="g")],
                     [dict(group("g", "soft-affinity"), max_instances_per_host=2)])
    for one in plan_rounds(snapshot, None):
        placed = {}
        for move in one["moves"]:
            placed[move["to"]] = placed.get(move["to"], 0) + 1
        for item in snapshot["instances"]:
            item["host"] = next((m["to"] for m in one["moves"] if m["instance"] == item["id"]), item["host"])
        counts = {}
        for item in snapshot["instances"]:
            counts[item["host"]] = counts.get(item["host"], 0) + 1
        assert max(counts.values()) <= 2


def test_after_the_first_round_only_maintained_hosts_are_targets():
    snapshot = cloud([host("h%d" % i, vcpus=4, ram_mb=8192) for i in range(6)],
                     [vm("v%d" % i, "h%d" % (i % 6), vcpus=1) for i in range(18)])
    maintained = set()
    rounds = plan_rounds(snapshot, None)
    for number, one in enumerate(rounds):
        if number > 0:
            assert {m["to"] for m in one["moves"]} <= maintained
        maintained.update(one["hosts"])
    assert sorted(maintained) == ["h%d" % i for i in range(6)]


def test_a_recovering_member_waits_a_round_unless_nothing_else_can_move():
    snapshot = spread(hosts=4, per_host=1)
    snapshot["groups"] = [dict(group("g", "anti-affinity"), recovery_time=10 ** 6)]
    snapshot["instances"][0]["group_id"] = "g"
    step = plan_next(snapshot, progress(maintained=["h3"], hosts=["h0", "h1", "h3"], max_parallel_hosts=None,
                                        recovering=["h0-0"]))
    assert step["state"] == "PLANNED_MAINTENANCE" and step["hosts"] == ["h1"]
    step = plan_next(snapshot, progress(maintained=["h3"], hosts=["h0", "h3"], max_parallel_hosts=None,
                                        recovering=["h0-0"]))
    assert step["state"] == "PLANNED_MAINTENANCE" and step["hosts"] == ["h0"]


def test_the_workflow_counts_the_previous_rounds_moves_as_recovering():
    snapshot = spread(hosts=4, per_host=1)
    snapshot["groups"] = [dict(group("g", "anti-affinity"), recovery_time=30), group("h", "anti-affinity")]
    snapshot["instances"][0]["group_id"] = "g"
    snapshot["instances"][1]["group_id"] = "h"
    session = {"hosts": [], "max_parallel_hosts": None}
    moved = dict(initial_progress(), maintained=["h3"], recently_moved=["h0-0", "h1-0"])
    step = session_step(snapshot, session, moved)
    assert "h0" not in step["hosts"] and "h1" in step["hosts"]
    assert step["progress"]["recently_moved"] == [m["instance"] for m in step["moves"]]


@pytest.mark.parametrize("bad, message", [
    ({"max_impacted_members": -1}, "group 'g': 'max_impacted_members' must be a non-negative integer"),
    ({"recovery_time": "soon"}, "group 'g': 'recovery_time' must be a non-negative number"),
    ({"max_instances_per_host": 0}, "'max_instances_per_host' must be at least 1"),
])
def test_bad_group_constraints_are_named(bad, message):
    snapshot = spread()
    snapshot["groups"] = [dict(group("g", "anti-affinity"), **bad)]
    with pytest.raises(InvalidInput, match=message):
        plan_next(snapshot, progress(max_parallel_hosts=None))


def test_bad_instance_constraint_and_limit_are_named():
    snapshot = spread()
    snapshot["instances"][0]["lead_time"] = -5
    with pytest.raises(InvalidInput, match="instance 'h0-0': 'lead_time' must be a non-negative number"):
        plan_rounds(snapshot, None)
    with pytest.raises(InvalidInput, match="'max_parallel_hosts' must be a positive integer or null"):
        plan_next(spread(), progress(max_parallel_hosts=0))


def test_session_step_runs_the_parallel_strategy_with_matching_concurrency():
    session = {"hosts": ["h%d" % i for i in range(6)], "max_parallel_hosts": None}
    progress_now = dict(initial_progress(), maintained=["h5"])
    step = session_step(spread(), session, progress_now)
    assert step["state"] == "PLANNED_MAINTENANCE" and step["concurrency"] == len(step["hosts"]) == 2
    serial = session_step(spread(), dict(session, max_parallel_hosts=1), progress_now)
    assert serial["concurrency"] == 1 and len(serial["hosts"]) == 1


@pytest.mark.parametrize("limit", [None, 1])
def test_prepare_round_prefers_hosts_out_of_scope(limit):
    snapshot = cloud([host("a", vcpus=4, ram_mb=8192), host("b", vcpus=4, ram_mb=8192),
                      host("spare", vcpus=4, ram_mb=8192)],
                     [vm("x", "a"), vm("y", "b", vcpus=2, ram_mb=2048)])
    rounds = plan_rounds(snapshot, limit, hosts=["a", "b"])
    assert [m["to"] for one in rounds for m in one["moves"]] == ["spare", "spare"]
    assert avoidable_migrations(snapshot, rounds, hosts=["a", "b"]) == 0


def test_the_first_round_moves_at_most_the_share_of_instances_allowed_to_move_twice():
    # Ten hosts of four instances, room for several hosts at once: the first
    # round lands on hosts not maintained yet, so its instances move twice.
    hosts = [host("h%d" % i, vcpus=8, ram_mb=16384) for i in range(10)]
    instances = [vm("i%d-%d" % (h, n), "h%d" % h) for h in range(10) for n in range(4)]
    snapshot = cloud(hosts, instances)
    wide = plan_next(snapshot, progress(max_parallel_hosts=None, max_moved_twice_percent=100))
    assert len(wide["hosts"]) > 2
    capped = plan_next(snapshot, progress(max_parallel_hosts=None, max_moved_twice_percent=20))
    assert len(capped["moves"]) <= 8 and len(capped["hosts"]) == 2
    # At least one host, whatever the share.
    assert len(plan_next(snapshot, progress(max_parallel_hosts=None, max_moved_twice_percent=0))["hosts"]) == 1
    default = plan_next(snapshot, progress(max_parallel_hosts=None))
    assert len(default["moves"]) <= 4


def test_a_bad_moved_twice_share_is_refused_by_name():
    with pytest.raises(InvalidInput, match="'max_moved_twice_percent' must be an integer from 0 to 100, got 101"):
        plan_next(spread(), progress(max_parallel_hosts=None, max_moved_twice_percent=101))
