"""The `vnf` workflow's questions: one per move, in the planner's order, waits before the question."""

from rolling_maintenance.planner.placement.one_by_one import one_by_one

MOVES = [
    {"instance": "a-1", "project_id": "p-a", "from": "c-0", "to": "c-1", "type": "LIVE_MIGRATE",
     "after": [], "recovery_s": 0},
    {"instance": "b-1", "project_id": "p-b", "from": "c-0", "to": "c-2", "type": "MIGRATE",
     "after": [], "recovery_s": 0},
    {"instance": "a-2", "project_id": "p-a", "from": "c-0", "to": "c-1", "type": "LIVE_MIGRATE",
     "after": ["a-1"], "recovery_s": 30},
]


def test_one_question_per_move_in_the_planners_order():
    questions = one_by_one(MOVES, ["p-a", "p-b"])
    assert [q["instance"] for q in questions] == ["a-1", "b-1", "a-2"]
    assert [q["instance_ids"] for q in questions] == [["a-1"], ["b-1"], ["a-2"]]
    assert [q["host"] for q in questions] == ["c-0"] * 3
    assert all(q["ask"] for q in questions)


def test_the_group_recovery_is_waited_before_the_question_not_inside_the_move():
    third = one_by_one(MOVES, ["p-a", "p-b"])[2]
    assert third["recovery_s"] == 30
    assert third["moves"] == [dict(MOVES[2], after=[], recovery_s=0)]
    assert MOVES[2]["after"] == ["a-1"], "the planner's moves are not changed"


def test_a_project_not_asked_is_moved_unasked():
    questions = one_by_one(MOVES, ["p-a"])
    assert [q["ask"] for q in questions] == [True, False, True]


def test_a_recovery_without_a_move_to_wait_for_is_no_wait():
    questions = one_by_one([dict(MOVES[0], recovery_s=12)], ["p-a"])
    assert questions[0]["recovery_s"] == 0
