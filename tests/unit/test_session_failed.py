"""`maintenance_failed` ends the session with its reason whatever else fails: an Aodh
outage or a message bus that cannot be reached is logged, not raised."""

import types

import pytest

from rolling_maintenance import cloud, notify
from rolling_maintenance.actions import session as session_actions
from rolling_maintenance.mistral import executions
from rolling_maintenance.workflow import session_step

CONTEXT = types.SimpleNamespace(execution=types.SimpleNamespace(workflow_execution_id="s-1"))
FAILED_MOVE = {"task": "planned_moves", "workflow": "maintenance.rolling", "state_info": "",
               "result": {"code": "unavailable",
                          "message": "nova: GET /compute/v2.1/os-services answered 503 for 180 s"},
               "workflow_input": {}}


@pytest.fixture
def mistral(monkeypatch):
    monkeypatch.setattr(session_actions.mistral_client, "for_action", lambda context: object())
    monkeypatch.setattr(executions, "failed_tasks", lambda client, session_id: [FAILED_MOVE])


def run():
    return session_actions.SessionFailedAction(
        {"hosts": ["c0", "c1"]}, session_step.initial_progress()).run(CONTEXT)


@pytest.mark.parametrize("failure", [
    cloud.CloudError("unavailable", "aodh: GET /alarming/v2/alarms answered 503 for 180 s"),
    OSError("Connection refused (the message bus)"),
    notify.ConfigError("no reply API URL configured"),
])
def test_no_channel_to_tell_the_admin_still_ends_the_session_with_its_reason(
        mistral, monkeypatch, caplog, failure):
    def send_session_event(**kwargs):
        raise failure
    monkeypatch.setattr(notify, "send_session_event", send_session_event)
    result = run()
    assert result["reason"] == ("planned_moves failed: nova: GET /compute/v2.1/os-services "
                                "answered 503 for 180 s")
    assert str(failure) in result["notified"]["error"]
    assert "Could not send send_session_event for session s-1" in caplog.text


def test_the_admin_is_told_the_reason(mistral, monkeypatch):
    sent = []
    monkeypatch.setattr(notify, "send_session_event", lambda **kwargs: sent.append(kwargs) or {})
    result = run()
    [event] = sent
    assert event["state"] == "MAINTENANCE_FAILED" and event["reason"] == result["reason"]
    assert (event["hosts_done"], event["hosts_total"]) == (0, 2)


def test_a_mistral_that_cannot_say_what_failed_still_gives_a_reason(monkeypatch):
    def unreachable(context):
        raise cloud.CloudError("no_mistral", "cannot find the Mistral API")
    monkeypatch.setattr(session_actions.mistral_client, "for_action", unreachable)
    monkeypatch.setattr(notify, "send_session_event", lambda **kwargs: {})
    result = run()
    assert result["reason"].startswith("the session failed; its failed tasks could not be read")
    assert "cannot find the Mistral API" in result["reason"]
