"""The order and times of a round's moves under group impact limits."""

import pytest
from planner_clouds import cloud, group, host, vm

from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.schedule.duration import read_timing
from rolling_maintenance.planner.schedule.move_schedule import order_moves, schedule_moves

TIMING = read_timing({"live_migration_s_per_gib": 10})


def four_members(most, recovery=0, lead_time=None):
    """Members m0..m3 of group g (1, 2, 3, 4 GiB) on hosts a..d, and a
    spare instance s on b: each host empties onto t."""
    extra = {} if lead_time is None else {"lead_time": lead_time}
    instances = [vm("m%d" % n, "abcd"[n], group="g", ram_mb=1024 * (n + 1), **extra) for n in range(4)]
    instances.append(vm("s", "b"))
    snapshot = cloud([host(name, vcpus=16, ram_mb=65536) for name in "abcdt"], instances,
                     [dict(group("g", "anti-affinity"), max_impacted_members=most, recovery_time=recovery)])
    moves = [{"instance": i["id"], "project_id": "p1", "from": i["host"], "to": "t", "type": "LIVE_MIGRATE"}
             for i in instances]
    return parse_snapshot(snapshot), moves


def most_at_once(timeline, recovery):
    edges = sorted([(start, 1) for m, start, _ in timeline if m["instance"] != "s"]
                   + [(end + recovery, -1) for m, _, end in timeline if m["instance"] != "s"])
    most = now = 0
    for _at, step in edges:
        now += step
        most = max(most, now)
    return most


@pytest.mark.parametrize("most", [1, 2, 3])
def test_no_more_members_move_at_once_than_the_group_allows(most):
    snapshot, moves = four_members(most, recovery=5)
    timeline = schedule_moves(moves, snapshot, TIMING)
    assert most_at_once(timeline, 5) == most
    waiting = [m for m, _, _ in timeline if m["after"]]
    assert len(waiting) == 4 - most
    assert all(m["recovery_s"] == 5 for m in waiting)


def test_a_source_runs_another_move_while_its_member_waits():
    snapshot, moves = four_members(1)
    timeline = schedule_moves(moves, snapshot, TIMING)
    starts = {m["instance"]: start for m, start, _ in timeline}
    assert starts["m0"] == 0.0 and starts["s"] == 0.0
    assert starts["m1"] > 0.0
    on_b = [m["instance"] for m, _, _ in timeline if m["from"] == "b"]
    assert on_b == ["s", "m1"]


def test_the_replay_of_a_planned_order_gives_the_same_times():
    snapshot, moves = four_members(2, recovery=7, lead_time=3)
    lead = {m["instance"]: 3 for m in moves}
    planned = schedule_moves(moves, snapshot, TIMING, ready=lead)
    replayed = schedule_moves([m for m, _, _ in planned], snapshot, TIMING, ready=lead, plan=False)
    assert [(m["instance"], s, e) for m, s, e in planned] == [(m["instance"], s, e) for m, s, e in replayed]
    assert min(s for _, s, _ in planned) == 3


def test_order_moves_keeps_every_move_once_in_start_order():
    snapshot, moves = four_members(1)
    ordered = order_moves(snapshot, moves, TIMING)
    assert sorted(m["instance"] for m in ordered) == sorted(m["instance"] for m in moves)
    assert ordered[0]["after"] == []


def test_moves_waiting_on_each_other_are_reported():
    snapshot, moves = four_members(None)
    moves = [dict(moves[0], after=["m1"]), dict(moves[1], after=["m0"])]
    with pytest.raises(RuntimeError, match="wait on each other: 2 cannot start"):
        schedule_moves(moves, snapshot, TIMING, plan=False)
