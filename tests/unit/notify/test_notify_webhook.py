"""The webhook driver posts Aodh's body to the right alarms, and never raises on a bad receiver."""

import socket
import time

import pytest

from notify_receiver import Receiver
from rolling_maintenance import notify
from rolling_maintenance.notify import config
from rolling_maintenance.notify import payloads
from rolling_maintenance.notify import webhook

API = "http://127.0.0.1:12347"


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.stop()


def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def event_alarm(alarm_id, urls, event_type="maintenance.scheduled", **extra):
    alarm = {"alarm_id": alarm_id, "name": "alarm-" + alarm_id, "type": "event", "enabled": True,
             "repeat_actions": True, "state": "insufficient data", "severity": "low",
             "event_rule": {"event_type": event_type, "query": []}, "alarm_actions": urls}
    alarm.update(extra)
    return alarm


def driver_for(subscribed, timeout_s=5.0, clock=lambda: 1795341600.0):
    conf = config.NotifyConfig(api_url=API, timeout_s=timeout_s)
    asked = []

    def subscriptions(event_type):
        asked.append(event_type)
        return subscribed
    driver = webhook.WebhookDriver(conf, subscriptions, clock=clock)
    driver.asked = asked
    return driver


def test_project_event_reaches_only_that_projects_webhooks(receiver):
    subscribed = {
        "p-1": [event_alarm("a-1", [receiver.url + "/vnfm-1", "log://"]),
                event_alarm("a-2", [receiver.url + "/vnfm-1b"], repeat_actions=False,
                            state="alarm")],
        "p-2": [event_alarm("a-3", [receiver.url + "/vnfm-2"])],
    }
    driver = driver_for(subscribed)
    result = notify.send_project_event(
        "s-1", "p-1", "MAINTENANCE", reply_at="2026-11-22T10:05:00Z",
        config=config.NotifyConfig(api_url=API), deliver=driver)
    assert driver.asked == ["maintenance.scheduled"]
    assert [p["path"] for p in receiver.posts] == ["/vnfm-1"]
    post = receiver.posts[0]
    assert post["headers"]["Content-Type"] == "application/json"
    assert post["headers"]["X-Openstack-Request-Id"].startswith("req-")
    expected = payloads.aodh_webhook_body(
        "maintenance.scheduled", result["payload"], subscribed["p-1"][0],
        message_id=result["message_id"], generated=1795341600.0)
    assert post["body"] == expected
    traits = {n: v for n, _, v in post["body"]["reason_data"]["event"]["traits"]}
    assert traits["instance_ids"] == API + "/v1/maintenance/s-1/p-1"
    assert traits["allowed_actions"] == "[]"
    assert result["delivered"] == [{"alarm_id": "a-1", "project_id": "p-1",
                                    "url": receiver.url + "/vnfm-1", "status": 200}]
    assert result["failed"] == []
    assert sorted(s["alarm_id"] for s in result["skipped"]) == ["a-1", "a-2"]
    reasons = " ".join(s["reason"] for s in result["skipped"])
    assert "'log' is not a webhook" in reasons and "already fired" in reasons


def test_a_failing_receiver_is_reported_not_raised(receiver):
    port = closed_port()
    subscribed = {"p-1": [event_alarm("a-1", [receiver.url + "/fail",
                                              "http://127.0.0.1:%d/gone" % port,
                                              receiver.url + "/ok"])]}
    result = driver_for(subscribed).send("maintenance.scheduled", {"project_id": "p-1"},
                                         project_id="p-1")
    assert [d["url"] for d in result["delivered"]] == [receiver.url + "/ok"]
    errors = {f["url"]: f["error"] for f in result["failed"]}
    assert errors[receiver.url + "/fail"] == "HTTP 500 Internal Server Error"
    assert "refused" in errors["http://127.0.0.1:%d/gone" % port].lower()


def test_a_stalled_receiver_times_out(receiver):
    subscribed = {"p-1": [event_alarm("a-1", [receiver.url + "/slow", receiver.url + "/ok"])]}
    started = time.monotonic()
    result = driver_for(subscribed, timeout_s=0.3).send(
        "maintenance.scheduled", {"project_id": "p-1"}, project_id="p-1")
    assert time.monotonic() - started < 3
    assert [f["url"] for f in result["failed"]] == [receiver.url + "/slow"]
    assert "timed out" in result["failed"][0]["error"]
    assert [d["url"] for d in result["delivered"]] == [receiver.url + "/ok"]


def test_unsubscribed_project_gets_nothing(receiver):
    subscribed = {"p-2": [event_alarm("a-3", [receiver.url + "/vnfm-2"])]}
    result = driver_for(subscribed).send("maintenance.scheduled", {"project_id": "p-1"},
                                         project_id="p-1")
    assert result["delivered"] == result["failed"] == result["skipped"] == []
    assert receiver.posts == []


def test_admin_events_go_to_every_subscribed_project(receiver):
    subscribed = {
        "admin": [event_alarm("h-1", [receiver.url + "/inspector"], "maintenance.host")],
        "ops": [event_alarm("h-2", [receiver.url + "/vitrage"], "maintenance.*",
                            event_rule={"event_type": "maintenance.*", "query": [
                                {"field": "traits.host", "op": "eq", "value": "cmp-1"}]})],
        "other": [event_alarm("h-3", [receiver.url + "/other"], "maintenance.*",
                              event_rule={"event_type": "maintenance.*", "query": [
                                  {"field": "traits.host", "op": "eq", "value": "cmp-9"}]})],
    }
    driver = driver_for(subscribed)
    result = notify.send_host_event("cmp-1", "IN_MAINTENANCE", "s-1", "admin",
                                    config=config.NotifyConfig(), deliver=driver)
    assert driver.asked == ["maintenance.host"]
    assert sorted(p["path"] for p in receiver.posts) == ["/inspector", "/vitrage"]
    assert result["payload"] == {"host": "cmp-1", "state": "IN_MAINTENANCE",
                                 "session_id": "s-1", "project_id": "admin"}
    assert [s["alarm_id"] for s in result["skipped"]] == ["h-3"]
    for post in receiver.posts:
        assert post["body"]["reason_data"]["event"]["event_type"] == "maintenance.host"

    receiver.posts.clear()
    session = notify.send_session_event("s-1", "MAINTENANCE_DONE", 3, 3,
                                        config=config.NotifyConfig(), deliver=driver)
    assert driver.asked[-1] == "maintenance.session"
    assert session["payload"]["percent_done"] == 100
    assert session["project_id"] is None


def test_options_and_config_are_not_mixed():
    with pytest.raises(config.ConfigError, match="not both"):
        notify.send_project_event("s-1", "p-1", "MAINTENANCE", config=config.NotifyConfig(),
                                  api_url=API)
