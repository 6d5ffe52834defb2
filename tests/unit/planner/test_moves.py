"""How replies and the plan combine into the actions on one host."""

import pytest

from rolling_maintenance.planner.placement.moves import moves_for_host

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
