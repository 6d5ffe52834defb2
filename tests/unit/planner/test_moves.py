"""How replies and the plan combine into the actions on one host."""

import pytest

from rolling_maintenance.planner.placement.moves import moves_by_host, moves_for_host, seconds_to_turn

MOVES = [
    {"instance": "a", "project_id": "p1", "from": "c0", "to": "c2", "type": "LIVE_MIGRATE"},
    {"instance": "b", "project_id": "p2", "from": "c0", "to": "c2", "type": "LIVE_MIGRATE"},
    {"instance": "c", "project_id": "p2", "from": "c1", "to": "c2", "type": "LIVE_MIGRATE"},
    {"instance": "d", "project_id": "p3", "from": "c0", "to": "c3"},
]


def test_only_the_hosts_moves_with_replies_deciding():
    replies = [{"project_id": "p2", "state": "ACK_PLANNED_MAINTENANCE",
                "instance_actions": {"b": "OWN_ACTION", "c": "MIGRATE"}}]
    got = moves_for_host(MOVES, "c0", replies, default_type="MIGRATE")
    assert [(m["instance"], m["type"], m["to"]) for m in got] == [
        ("a", "LIVE_MIGRATE", "c2"), ("b", "OWN_ACTION", "c2"), ("d", "MIGRATE", "c3")]


def test_no_replies_keeps_the_plan():
    got = moves_for_host(MOVES, "c1", None)
    assert got == [MOVES[2]]


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError, match="instance a: unknown action 'EVACUATE'"):
        moves_for_host(MOVES, "c0", [{"instance_actions": {"a": "EVACUATE"}}])


def test_moves_by_host_gives_each_host_its_moves_and_where_its_awaited_instances_are():
    planned = [dict(MOVES[0], after=[]), dict(MOVES[2], after=["a"], recovery_s=5)]
    replies = [{"project_id": "p1", "instance_actions": {"a": "MIGRATE"}}]
    by_host = moves_by_host(planned, ["c1", "c0", "c9"], replies)
    assert [p["host"] for p in by_host] == ["c1", "c0", "c9"]
    assert [m["instance"] for m in by_host[0]["moves"]] == ["c"]
    assert by_host[0]["awaited"] == {"a": {"from": "c0", "type": "MIGRATE"}}
    assert by_host[1]["awaited"] == {} and by_host[2] == {"host": "c9", "moves": [], "awaited": {}}


def test_moves_by_host_refuses_a_move_after_an_instance_the_plan_does_not_move():
    with pytest.raises(ValueError, match="instance c: comes after z, which the plan does not move"):
        moves_by_host([dict(MOVES[2], after=["z"])], ["c1"], None)


def test_a_move_waits_until_every_instance_it_comes_after_was_told_then_the_recovery_time():
    move = {"instance": "c", "after": ["a", "b"], "recovery_s": 10}
    assert seconds_to_turn(move, {"a": 100.0}, 105.0) is None
    assert seconds_to_turn(move, {"a": 100.0, "b": 103.0}, 105.0) == 8.0
    assert seconds_to_turn(move, {"a": 100.0, "b": 103.0}, 200.0) == 0.0
    assert seconds_to_turn({"instance": "d"}, {}, 0.0) == 0.0
