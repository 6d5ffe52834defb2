"""What the session actions hand to the planner from the workflow's input."""

import datetime

from rolling_maintenance.actions.session import ValidateSessionAction
from rolling_maintenance.planner import session_input, session_step


def test_null_max_parallel_hosts_reaches_the_planner_as_no_limit():
    action = ValidateSessionAction(hosts=[], max_parallel_hosts=None)
    assert action.fields["max_parallel_hosts"] is None
    session, errors = session_input.validate_session_input(
        action.fields, {"c0", "c1"}, set(), set(), datetime.datetime.now(datetime.timezone.utc))
    assert errors == []
    assert session_step.planner_progress(session, session_step.initial_progress())["max_parallel_hosts"] is None


def test_unset_fields_are_left_out():
    fields = ValidateSessionAction(maintenance_at=None, metadata=None).fields
    assert "maintenance_at" not in fields and "metadata" not in fields
    assert fields["max_parallel_hosts"] == 1
