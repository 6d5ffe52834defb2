"""The VNFM's pieces without a cloud: reply bodies, roles, the webhook, session order."""

import threading
import time

import pytest

from rolling_maintenance.vnfm import replies
from rolling_maintenance.vnfm.application import Application
from rolling_maintenance.vnfm.dispatcher import SessionDispatcher
from rolling_maintenance.vnfm.webhook import make_app
from rolling_maintenance.wsgi_server import BackgroundServer
from vnfm_fake_maintenance import FakeMaintenance, post_json


def test_ack_maintenance_has_the_instances_and_session_like_doctor():
    assert replies.reply_body("MAINTENANCE", "s", instance_ids=["a"]) == {
        "state": "ACK_MAINTENANCE", "session_id": "s", "instance_ids": ["a"]}


def test_ack_planned_has_the_instance_actions():
    assert replies.reply_body("PLANNED_MAINTENANCE", "s", instance_actions={"a": "MIGRATE"}) == {
        "state": "ACK_PLANNED_MAINTENANCE", "session_id": "s", "instance_actions": {"a": "MIGRATE"}}


def test_nack_has_only_state_and_session():
    assert replies.reply_body("SCALE_IN", "s", ack=False, instance_ids=["a"]) == {
        "state": "NACK_SCALE_IN", "session_id": "s"}


def test_no_reply_to_instance_action_done():
    with pytest.raises(ValueError, match="no reply is sent to INSTANCE_ACTION_DONE"):
        replies.reply_body("INSTANCE_ACTION_DONE", "s")


def test_migration_choice_follows_allowed_actions():
    assert replies.migration_choice("LIVE_MIGRATE", []) == "LIVE_MIGRATE"
    assert replies.migration_choice("LIVE_MIGRATE", ["MIGRATE", "OWN_ACTION"]) == "MIGRATE"
    assert replies.migration_choice("MIGRATE", ["OWN_ACTION"]) is None
    with pytest.raises(ValueError, match="migration type must be one of"):
        replies.migration_choice("EVACUATE", [])


def test_switch_only_when_the_active_leaves():
    ticks = iter(range(100))
    app = Application(["a", "b"], ["x"], clock=lambda: next(ticks))
    assert app.role_log == [(0, "a")]
    assert app.switch_away_from(["x"]) is None
    assert app.switch_away_from(["a", "x"], reason="PLANNED_MAINTENANCE") == {
        "t": 1, "from": "a", "to": "b", "reason": "PLANNED_MAINTENANCE"}
    assert app.switch_away_from(["a", "b"]) is None
    assert app.role_log == [(0, "a"), (1, "b")]


def test_when_both_members_move_the_one_moving_last_serves_until_the_other_is_back():
    ticks = iter(range(100))
    app = Application(["a", "b"], [], clock=lambda: next(ticks))
    assert app.switch_away_from(["a", "b"], reason="PLANNED_MAINTENANCE")["to"] == "b"
    assert app.moved(["x"]) is None
    assert app.moved(["a"], reason="INSTANCE_ACTION_DONE") == {
        "t": 2, "from": "b", "to": "a", "reason": "INSTANCE_ACTION_DONE"}
    assert app.moved(["b"]) is None and app.active == "a"
    assert app.switch_away_from(["b", "a"]) is None and app.active == "a"
    assert app.moved(["b"])["to"] == "b"


def test_scaling_bookkeeping():
    app = Application(["a", "b"], ["x", "y"], clock=lambda: 0)
    assert app.newest_extra() == "y"
    app.extra_removed("y")
    app.extra_removed("x")
    assert app.newest_extra() is None and app.missing_extras() == 2
    app.extra_added("z")
    assert app.missing_extras() == 1 and app.instance_ids() == ["a", "b", "z"]


def test_application_refuses_a_bad_pair():
    with pytest.raises(ValueError, match="at most 2 instances"):
        Application(["a", "b", "c"], [], clock=lambda: 0)
    with pytest.raises(ValueError, match="active instance x is not a pair member"):
        Application(["a", "b"], [], clock=lambda: 0, active="x")


def test_webhook_accepts_an_alarm_and_rejects_garbage():
    got = []
    server = BackgroundServer(make_app(got.append))
    server.start()
    side = FakeMaintenance()
    try:
        status, answer = post_json(server.url, side.webhook_body("s", "p", "SCALE_IN"))
        assert (status, answer) == (200, {"accepted": "SCALE_IN"})
        assert got[0]["state"] == "SCALE_IN" and got[0]["session_id"] == "s"
        status, answer = post_json(server.url, {"alarm_id": "a"})
        assert status == 400 and "no reason_data" in answer["error"]
        assert len(got) == 1
    finally:
        server.stop()
        side.stop()


def test_dispatcher_keeps_each_sessions_order_and_runs_sessions_side_by_side():
    dispatcher = SessionDispatcher()
    done = []
    release = threading.Event()

    def slow():
        release.wait(5)
        done.append("s1-first")

    dispatcher.submit("s1", slow)
    dispatcher.submit("s1", lambda: done.append("s1-second"))
    dispatcher.submit("s2", lambda: done.append("s2"))
    deadline = time.monotonic() + 5
    while "s2" not in done and time.monotonic() < deadline:
        time.sleep(0.01)
    assert done == ["s2"]
    release.set()
    assert dispatcher.wait_idle(5)
    assert done == ["s2", "s1-first", "s1-second"]
    dispatcher.stop()
    with pytest.raises(RuntimeError, match="dispatcher is stopped"):
        dispatcher.submit("s1", lambda: None)
