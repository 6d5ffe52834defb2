"""The webhook driver posts Aodh's body to the right alarms, apart from the caller as
Aodh does: a slow or failing receiver never holds up or fails the sender."""

import logging
import socket
import time
import urllib.error

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


def driver_for(subscribed, timeout_s=5.0, clock=lambda: 1795341600.0, post=webhook.post_json,
               retry_delay_s=0.01):
    conf = config.NotifyConfig(api_url=API, timeout_s=timeout_s, retry_delay_s=retry_delay_s)
    asked = []

    def subscriptions(event_type):
        asked.append(event_type)
        return subscribed
    driver = webhook.WebhookDriver(conf, subscriptions, postman=webhook.Postman(post=post),
                                   clock=clock)
    driver.asked = asked
    return driver


def outcomes(driver, timeout=5):
    """How the driver's posts ended, once they have."""
    assert driver.postman.wait_idle(timeout)
    return {o["url"]: o for o in driver.postman.outcomes}


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
    ended = outcomes(driver)
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
    assert result["queued"] == [{"alarm_id": "a-1", "project_id": "p-1",
                                 "url": receiver.url + "/vnfm-1"}]
    assert result["delivered"] == result["failed"] == []
    assert ended[receiver.url + "/vnfm-1"]["status"] == 200
    assert ended[receiver.url + "/vnfm-1"]["message_id"] == result["message_id"]
    assert sorted(s["alarm_id"] for s in result["skipped"]) == ["a-1", "a-2"]
    reasons = " ".join(s["reason"] for s in result["skipped"])
    assert "'log' is not a webhook" in reasons and "already fired" in reasons


def test_a_failing_receiver_is_logged_not_raised(receiver, caplog):
    port = closed_port()
    gone = "http://127.0.0.1:%d/gone" % port
    subscribed = {"p-1": [event_alarm("a-1", [receiver.url + "/fail", gone, receiver.url + "/ok"])]}
    driver = driver_for(subscribed)
    with caplog.at_level(logging.INFO, logger=webhook.__name__):
        result = driver.send("maintenance.scheduled", {"project_id": "p-1"}, project_id="p-1")
        ended = outcomes(driver)
    assert [q["url"] for q in result["queued"]] == [receiver.url + "/fail", gone, receiver.url + "/ok"]
    assert ended[receiver.url + "/ok"]["status"] == 200
    assert ended[receiver.url + "/fail"]["error"] == "HTTP 500 Internal Server Error"
    assert ended[receiver.url + "/fail"]["attempts"] == 1, "an answered error is not posted again"
    assert "refused" in ended[gone]["error"].lower()
    assert ended[gone]["attempts"] == 1 + driver.config.connect_retries
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("a-1" in w and receiver.url + "/fail" in w and "HTTP 500" in w for w in warnings)
    assert any("a-1" in w and gone in w and "refused" in w.lower() for w in warnings)


def test_a_refused_connection_is_tried_again_until_the_receiver_listens():
    tries = []

    def post(url, body, timeout):
        tries.append(url)
        if len(tries) < 3:
            raise urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))
        return 200
    driver = driver_for({"p-1": [event_alarm("a-1", ["http://127.0.0.1:9/vnfm"])]}, post=post)
    driver.send("maintenance.scheduled", {"project_id": "p-1"}, project_id="p-1")
    ended = outcomes(driver)
    assert ended["http://127.0.0.1:9/vnfm"] == {
        "alarm_id": "a-1", "project_id": "p-1", "url": "http://127.0.0.1:9/vnfm",
        "message_id": ended["http://127.0.0.1:9/vnfm"]["message_id"], "status": 200, "attempts": 3}


def test_a_slow_receiver_holds_up_neither_the_sender_nor_the_others(receiver):
    subscribed = {"p-1": [event_alarm("a-1", [receiver.url + "/slow", receiver.url + "/ok"])]}
    driver = driver_for(subscribed, timeout_s=30)
    started = time.monotonic()
    result = driver.send("maintenance.scheduled", {"project_id": "p-1"}, project_id="p-1")
    assert time.monotonic() - started < 1, "the sender does not wait for the receiver"
    assert len(result["queued"]) == 2 and result["failed"] == []
    deadline = time.monotonic() + 5
    while not any(p["path"] == "/ok" for p in receiver.posts) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert any(p["path"] == "/ok" for p in receiver.posts), "the other receiver is not held up"
    assert not driver.postman.wait_idle(0.2), "the slow receiver is still being waited for"
    receiver.release.set()
    assert outcomes(driver)[receiver.url + "/slow"]["status"] == 200


def test_a_stalled_receiver_times_out_on_its_own_thread(receiver):
    subscribed = {"p-1": [event_alarm("a-1", [receiver.url + "/slow"])]}
    driver = driver_for(subscribed, timeout_s=0.3)
    driver.send("maintenance.scheduled", {"project_id": "p-1"}, project_id="p-1")
    assert "timed out" in outcomes(driver)[receiver.url + "/slow"]["error"]


def test_unsubscribed_project_gets_nothing(receiver):
    subscribed = {"p-2": [event_alarm("a-3", [receiver.url + "/vnfm-2"])]}
    driver = driver_for(subscribed)
    result = driver.send("maintenance.scheduled", {"project_id": "p-1"}, project_id="p-1")
    assert result["queued"] == result["delivered"] == result["failed"] == result["skipped"] == []
    assert driver.postman.wait_idle(1) and receiver.posts == []


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
    outcomes(driver)
    assert sorted(p["path"] for p in receiver.posts) == ["/inspector", "/vitrage"]
    assert result["payload"] == {"host": "cmp-1", "state": "IN_MAINTENANCE",
                                 "session_id": "s-1", "project_id": "admin"}
    assert [s["alarm_id"] for s in result["skipped"]] == ["h-3"]
    for post in receiver.posts:
        assert post["body"]["reason_data"]["event"]["event_type"] == "maintenance.host"

    receiver.posts.clear()
    session = notify.send_session_event("s-1", "MAINTENANCE_DONE", 3, 3,
                                        config=config.NotifyConfig(), deliver=driver)
    outcomes(driver)
    assert driver.asked[-1] == "maintenance.session"
    assert session["payload"]["percent_done"] == 100
    assert session["project_id"] is None


def test_options_and_config_are_not_mixed():
    with pytest.raises(config.ConfigError, match="not both"):
        notify.send_project_event("s-1", "p-1", "MAINTENANCE", config=config.NotifyConfig(),
                                  api_url=API)
