"""The notification actions: what they send, when they fail, and that Mistral can rebuild them."""

import datetime
import threading
import time
import types
import urllib.error

import pytest
import requests
from mistral_lib import actions as ml_actions
from mistral_lib.actions import base as ml_base

from rolling_maintenance import cloud
from rolling_maintenance.actions import replies
from rolling_maintenance.mistral import asks
from rolling_maintenance.mistral import client as mistral_client
from rolling_maintenance.notify import config, drivers, webhook

NOW = datetime.datetime(2026, 11, 22, 10, 0, 0, 400000, tzinfo=datetime.timezone.utc)
API = "http://127.0.0.1:12347"


class RecordingDriver:
    def __init__(self, delivered=True, error=None):
        self.sent = []
        self.delivered = delivered
        self.error = error

    def send(self, event_type, payload, project_id=None, broadcast=False):
        if self.error:
            raise self.error
        self.sent.append({"event_type": event_type, "payload": payload,
                          "project_id": project_id, "broadcast": broadcast})
        ok = [{"alarm_id": "a-1", "url": "http://127.0.0.1:9/x", "status": 200}]
        return {"driver": "webhook", "event_type": event_type, "project_id": project_id,
                "delivered": ok if self.delivered else [],
                "failed": [] if self.delivered else [
                    {"alarm_id": "a-1", "url": "http://127.0.0.1:9/x", "error": "HTTP 500 Oops"}],
                "skipped": []}


@pytest.fixture
def driver(monkeypatch):
    recording = RecordingDriver()
    configs = []

    def driver_for(config, context=None):
        configs.append(config)
        return recording
    monkeypatch.setattr(drivers, "driver_for", driver_for)
    monkeypatch.setattr(replies, "utcnow", lambda: NOW)
    for name in ("DRIVER", "EVENT_TYPE", "TRANSPORT_URL"):
        monkeypatch.delenv("ROLLING_MAINTENANCE_" + name, raising=False)
    monkeypatch.setenv("ROLLING_MAINTENANCE_API_URL", API)
    recording.configs = configs
    recording.records = []

    def record_ask(found, session_id, project_id, state, action_execution_id):
        if recording.record_error:
            raise recording.record_error
        recording.records.append((session_id, project_id, state, action_execution_id,
                                  len(recording.sent)))
    recording.record_error = None
    monkeypatch.setattr(mistral_client, "for_action", lambda context: "client")
    monkeypatch.setattr(asks.MistralAsks, "record_ask", record_ask)
    return recording


CONTEXT = types.SimpleNamespace(
    security=types.SimpleNamespace(project_id="admin-p", auth_token=None),
    execution=types.SimpleNamespace(action_execution_id="ae-1", workflow_execution_id="wf-1"))


def ask(**changes):
    params = {"session_id": "s-1", "project_id": "p-1", "state": "PLANNED_MAINTENANCE",
              "instance_ids": ["vm-1", "vm-2"], "reply_window_s": 120,
              "metadata": {"openstack_version": "Rocky"}}
    params.update(changes)
    return replies.AskProjectAction(**params)


def test_ask_project_is_async_and_sends_the_question(driver):
    action = ask(event_type="maintenance.planned")
    assert action.is_sync() is False
    assert action.run(CONTEXT) is None
    [sent] = driver.sent
    assert sent["event_type"] == "maintenance.planned"
    assert sent["project_id"] == "p-1" and sent["broadcast"] is False
    assert driver.records == [("s-1", "p-1", "PLANNED_MAINTENANCE", "ae-1", 0)], \
        "the wait is recorded before the question is sent"
    payload = sent["payload"]
    assert payload["reply_at"] == "2026-11-22T10:02:00Z"
    assert payload["actions_at"] == "2026-11-22T10:00:00Z"
    assert payload["instance_ids"] == API + "/v1/maintenance/s-1/p-1"
    assert payload["allowed_actions"] == ["MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"]
    assert payload["metadata"] == {"openstack_version": "Rocky"}


def test_ask_project_survives_mistrals_rebuild_without_init(driver):
    serializer = ml_base.ActionSerializer()
    rebuilt = serializer.deserialize_from_dict(serializer.serialize_to_dict(
        ask(allowed_actions=["MIGRATE"], actions_at="2026-11-23T00:00:00Z", api_url=API + "/x")))
    assert rebuilt.run(CONTEXT) is None
    payload = driver.sent[0]["payload"]
    assert payload["allowed_actions"] == ["MIGRATE"]
    assert payload["actions_at"] == "2026-11-23T00:00:00Z"
    assert payload["reply_url"] == API + "/x/v1/maintenance/s-1/p-1"


def test_actions_at_is_the_announced_start_never_in_the_past(driver):
    ask(state="MAINTENANCE", actions_at="2026-11-22T10:30:00Z").run(CONTEXT)
    ask(state="MAINTENANCE", actions_at="2026-11-22T09:00:00Z").run(CONTEXT)
    first, second = (sent["payload"] for sent in driver.sent)
    assert first["actions_at"] == "2026-11-22T10:30:00Z"
    assert first["reply_at"] == "2026-11-22T10:02:00Z", "the reply window runs from now"
    assert second["actions_at"] == "2026-11-22T10:00:00Z", "a start already passed is now"


def test_undelivered_question_fails_at_once_with_the_reason(driver):
    driver.delivered = False
    result = ask().run(CONTEXT)
    assert isinstance(result, ml_actions.Result) and result.is_error()
    assert result.error["code"] == "not_delivered"
    assert "HTTP 500 Oops" in result.error["message"]
    assert result.error["details"]["project_id"] == "p-1"


def test_unsubscribed_project_is_named(driver):
    driver.delivered = False
    driver.send = lambda *a, **k: {"driver": "webhook", "event_type": "maintenance.planned",
                                   "delivered": [], "failed": [], "skipped": []}
    result = ask().run(CONTEXT)
    assert "no event alarm on maintenance.planned" in result.error["message"]


@pytest.mark.parametrize("changes, words", [
    ({"state": "INSTANCE_ACTION_DONE"}, "state must be one of"),
    ({"state": "REBOOT"}, "state must be one of"),
    ({"instance_ids": "vm-1"}, "instance_ids"),
    ({"instance_ids": ["vm-1", ""]}, "instance_ids"),
    ({"reply_window_s": 0}, "reply_window_s"),
    ({"reply_window_s": "60"}, "reply_window_s"),
    ({"allowed_actions": ["REBOOT"]}, "allowed_actions"),
    ({"driver": "pigeon"}, "driver"),
])
def test_bad_parameters_fail_without_sending(driver, changes, words):
    result = ask(**changes).run(CONTEXT)
    assert result.is_error() and words in result.error["message"]
    assert result.error["code"] == "invalid_notification"
    assert driver.sent == [] and driver.records == []


def test_missing_reply_api_url_is_explained(driver, monkeypatch):
    monkeypatch.delenv("ROLLING_MAINTENANCE_API_URL")
    result = ask().run(CONTEXT)
    assert "ROLLING_MAINTENANCE_API_URL" in result.error["message"]
    assert driver.records == []


def test_cloud_errors_come_back_as_results(driver):
    driver.error = cloud.CloudError("unavailable", "Aodh is down", {"status": 503})
    result = ask().run(CONTEXT)
    assert result.error == {"code": "unavailable", "message": "Aodh is down",
                            "details": {"status": 503}}


def test_a_question_that_cannot_be_recorded_is_not_sent(driver):
    driver.record_error = requests.ConnectionError("connection refused")
    result = ask().run(CONTEXT)
    assert result.is_error() and result.error["code"] == "not_recorded"
    assert "PLANNED_MAINTENANCE" in result.error["message"] and "p-1" in result.error["message"]
    assert driver.sent == []


def test_host_event_defaults_to_the_callers_project_and_goes_to_everyone(driver):
    result = replies.NotifyHostAction("s-1", "cmp-1", "IN_MAINTENANCE").run(CONTEXT)
    assert driver.sent[0]["broadcast"] is True
    assert driver.sent[0]["event_type"] == "maintenance.host"
    assert result["payload"] == {"host": "cmp-1", "state": "IN_MAINTENANCE",
                                 "session_id": "s-1", "project_id": "admin-p"}
    bad = replies.NotifyHostAction("s-1", "cmp-1", "REBOOTING").run(CONTEXT)
    assert bad.is_error() and "IN_MAINTENANCE" in bad.error["message"]


def test_session_event_reports_progress(driver):
    result = replies.NotifySessionAction("s-1", "MAINTENANCE_DONE", 3, 3, percent_done=100,
                                         driver="webhook").run(CONTEXT)
    assert driver.sent[0]["event_type"] == "maintenance.session"
    assert driver.sent[0]["project_id"] == "admin-p"
    assert result["payload"]["percent_done"] == 100
    assert driver.configs[-1].driver == "webhook"
    assert replies.NotifySessionAction("s-1", "DONE", 3, 3).run(CONTEXT).is_error()


@pytest.mark.parametrize("answer", ["error", "slow"])
def test_a_webhook_that_answers_an_error_or_slowly_leaves_the_question_waiting(driver, monkeypatch,
                                                                               answer):
    release = threading.Event()

    def post(url, body, timeout):
        if answer == "slow":
            release.wait(10)
            return 200
        raise urllib.error.HTTPError(url, 500, "Internal Server Error", {}, None)
    postman = webhook.Postman(post=post)
    alarm = {"alarm_id": "a-1", "type": "event", "enabled": True, "repeat_actions": True,
             "event_rule": {"event_type": "maintenance.scheduled", "query": []},
             "alarm_actions": ["http://127.0.0.1:9/vnfm"]}
    real = webhook.WebhookDriver(config.NotifyConfig(api_url=API), lambda event_type: {"p-1": [alarm]},
                                 postman=postman)
    monkeypatch.setattr(drivers, "driver_for", lambda config, context=None: real)
    started = time.monotonic()
    assert ask().run(CONTEXT) is None, "the reply window decides, not the webhook's answer"
    assert time.monotonic() - started < 2
    release.set()
    assert postman.wait_idle(5)
    [outcome] = postman.outcomes
    assert outcome["alarm_id"] == "a-1"
    assert outcome.get("error", "") == ("HTTP 500 Internal Server Error" if answer == "error" else "")


def test_a_per_instance_question_sends_its_instance_not_the_url(driver):
    assert ask(state="PREPARE_MAINTENANCE", instance_ids=["vm-1"], per_instance=True).run(CONTEXT) \
        is None
    assert driver.sent[0]["payload"]["instance_ids"] == ["vm-1"]
    bad = ask(instance_ids=["vm-1", "vm-2"], per_instance=True).run(CONTEXT)
    assert bad.is_error() and "exactly one instance" in bad.error["message"]
