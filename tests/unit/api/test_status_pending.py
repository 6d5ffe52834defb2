"""`rolling-maintenance status` reads who the session waits for from the session's ask records."""

from api_fake_mistral import FakeMistral
from rolling_maintenance import status


def test_pending_replies_are_the_sessions_waiting_questions_only():
    mistral = FakeMistral()
    mistral.ask(project_id="p-1", state="SCALE_IN", instance_ids=[], execution_state="SUCCESS")
    mistral.ask(project_id="p-1", state="PLANNED_MAINTENANCE")
    mistral.ask(project_id="p-2", state="PLANNED_MAINTENANCE", execution_state="SUCCESS")
    mistral.ask(project_id="p-3", state="MAINTENANCE", execution_state="ERROR")
    mistral.ask(session_id="s-10", project_id="p-4")
    mistral.ask(session_id="s-0", project_id="p-5")
    assert status.pending_replies(mistral, "s-1") == [
        {"project_id": "p-1", "state": "PLANNED_MAINTENANCE"}]
    assert status.pending_replies(mistral, "s-10") == [
        {"project_id": "p-4", "state": "PLANNED_MAINTENANCE"}]
    assert status.pending_replies(mistral, "s-2") == []
    assert "action_executions.list" not in mistral.calls
