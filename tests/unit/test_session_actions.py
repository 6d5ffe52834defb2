"""What the session actions hand to the planner from the workflow's input."""

import datetime

from rolling_maintenance.actions.hosts import DisableHostAction
from rolling_maintenance.actions.session import ValidateSessionAction
from rolling_maintenance.workflow import session_input, session_step


def validated(raw):
    return session_input.validate_session_input(
        raw, {"c0", "c1"}, set(), set(), datetime.datetime.now(datetime.timezone.utc))


def test_null_max_parallel_hosts_reaches_the_planner_as_no_limit():
    session, errors = validated({"hosts": [], "max_parallel_hosts": None})
    assert errors == []
    assert session_step.planner_progress(session, session_step.initial_progress())["max_parallel_hosts"] is None


def test_other_null_fields_take_their_defaults():
    session, errors = validated({"maintenance_at": None, "metadata": None, "project_maintenance_reply": None})
    assert errors == []
    assert session["metadata"] == {} and session["project_maintenance_reply"] == 300


def test_a_bad_input_fails_before_the_cloud_is_reached():
    # No context: reaching the cloud or Mistral would raise.
    result = ValidateSessionAction({"hosts": "c0", "migration_type": "EVACUATE"}).run(context=None)
    assert result.error["code"] == "invalid_input"
    assert [e.split(":")[0] for e in result.error["details"]["errors"]] == ["hosts", "migration_type"]


def test_a_host_is_not_disabled_without_a_reason_or_a_session():
    result = DisableHostAction("compute-0").run_with(conn=None, context=None)
    assert result.error["code"] == "invalid_input" and result.error["details"] == {"host": "compute-0"}
