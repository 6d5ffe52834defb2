"""The sample VNFM against the simulated cloud, one maintenance state at a time."""

import pytest
from vnfm_support import EMPTY_PROJECT, OTHER_PROJECT, PROJECT, VM, connect, live_servers, wait_for
from rolling_maintenance.cloud import alarms
from rolling_maintenance.sim.model.servers import DEFAULT_IMAGE, DEFAULT_NETWORK
from rolling_maintenance.vnfm.manager import DEFAULT_EVENT_TYPE
from rolling_maintenance.vnfm.tenant_cloud import TenantCloudError
from rolling_maintenance.workflow import session_input
from vnfm_fake_maintenance import post_json

PAIR = [VM["vm-a"], VM["vm-b"]]
EXTRAS = [VM["vm-x"], VM["vm-y"]]


def notify_and_wait(vnfm, side, session, state, ids=None, **kwargs):
    if ids is not None:
        side.instance_ids[session] = ids
    status, answer = side.notify(vnfm.url, session, PROJECT, state, **kwargs)
    assert (status, answer) == (200, {"accepted": state})
    assert vnfm.wait_idle(20)


def test_start_subscribes_with_a_repeating_event_alarm_once(sim, make_vnfm):
    vnfm = make_vnfm()
    first = make_vnfm()
    project_alarms = alarms.aodh(connect(sim, PROJECT)).alarm.list()
    assert len(project_alarms) == 1
    alarm = project_alarms[0]
    assert alarm["name"] == vnfm.alarm_name == first.alarm_name
    assert alarm["alarm_actions"] == [first.url]
    assert alarm["repeat_actions"] is True
    assert alarm["event_rule"]["event_type"] == "maintenance.scheduled"


def test_adopts_the_anti_affinity_pair_and_the_rest(make_vnfm, sim):
    vnfm = make_vnfm()
    assert vnfm.app.pair == PAIR
    assert vnfm.app.extras == EXTRAS
    assert vnfm.active == VM["vm-a"]
    [(t, active)] = vnfm.role_log
    assert active == VM["vm-a"]
    assert 0 < t <= sim.state()["now"]


def test_maintenance_is_acked_with_instances_and_session(make_vnfm, side):
    vnfm = make_vnfm(event_type="maintenance.planned")
    ids = PAIR + EXTRAS
    notify_and_wait(vnfm, side, "s1", "MAINTENANCE", ids, metadata={"openstack_version": "Queens"},
                    event_type="maintenance.planned")
    [reply] = side.replies
    assert reply["body"] == {"state": "ACK_MAINTENANCE", "session_id": "s1", "instance_ids": ids}
    assert reply["token"] and reply["token"] == side.gets[0]["token"]
    [note] = vnfm.received
    assert note["state"] == "MAINTENANCE" and note["session_id"] == "s1"
    assert note["instance_ids"] == ids
    assert note["allowed_actions"] == []
    assert note["metadata"] == {"openstack_version": "Queens"}
    assert isinstance(note["received_at"], float)
    assert vnfm.states() == ["MAINTENANCE"]


def test_scale_in_deletes_the_newest_extra_each_time_never_a_pair_member(make_vnfm, side, sim):
    vnfm = make_vnfm()
    ids = PAIR + EXTRAS
    for _ in range(3):
        notify_and_wait(vnfm, side, "s1", "SCALE_IN", ids)
        ids = list(live_servers(sim, PROJECT))
    bodies = side.replies_for("s1")
    assert [b["state"] for b in bodies] == ["ACK_SCALE_IN"] * 3
    assert bodies[0]["instance_ids"] == PAIR + [VM["vm-x"]]
    assert sorted(bodies[1]["instance_ids"]) == sorted(PAIR)
    assert sorted(bodies[2]["instance_ids"]) == sorted(PAIR)
    assert sorted(live_servers(sim, PROJECT)) == sorted(PAIR)
    deleted = [e["server"] for e in sim.events() if e["type"] == "server.deleted"]
    assert deleted == [VM["vm-y"], VM["vm-x"]]
    assert VM["vm-o"] in live_servers(sim, OTHER_PROJECT)


def test_maintenance_complete_scales_back_out(make_vnfm, side, sim):
    vnfm = make_vnfm()
    notify_and_wait(vnfm, side, "s1", "SCALE_IN", PAIR + EXTRAS)
    notify_and_wait(vnfm, side, "s1", "SCALE_IN", PAIR + [VM["vm-x"]])
    assert sorted(live_servers(sim, PROJECT)) == sorted(PAIR)
    notify_and_wait(vnfm, side, "s1", "MAINTENANCE_COMPLETE", PAIR)
    assert side.replies_for("s1")[-1] == {"state": "ACK_MAINTENANCE_COMPLETE", "session_id": "s1"}
    servers = live_servers(sim, PROJECT)
    assert len(servers) == 4
    new = [s for s in servers.values() if s["id"] not in PAIR]
    assert all(s["status"] == "ACTIVE" and s["flavor"] == "m1.v1r1024" and s["group"] is None
               for s in new)
    assert sorted(vnfm.app.extras) == sorted(s["id"] for s in new)


def test_planned_switches_the_active_before_the_ack(make_vnfm, side, sim):
    vnfm = make_vnfm()
    listed = [VM["vm-a"], VM["vm-x"]]
    notify_and_wait(vnfm, side, "s1", "PLANNED_MAINTENANCE", listed)
    [reply] = vnfm.replies
    assert reply["request"] == {
        "state": "ACK_PLANNED_MAINTENANCE", "session_id": "s1",
        "instance_actions": {VM["vm-a"]: "LIVE_MIGRATE", VM["vm-x"]: "LIVE_MIGRATE"}}
    assert side.replies[0]["body"] == reply["request"]
    assert vnfm.active == VM["vm-b"]
    [switch] = vnfm.switches
    assert (switch["from"], switch["to"], switch["reason"]) == (
        VM["vm-a"], VM["vm-b"], "PLANNED_MAINTENANCE")
    assert vnfm.role_log[-1] == (switch["t"], VM["vm-b"])
    assert vnfm.received[0]["received_at"] <= switch["t"] <= reply["t"]
    assert vnfm.received[0]["allowed_actions"] == ["MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"]


def test_prepare_without_the_active_keeps_roles_and_uses_the_configured_migration(make_vnfm, side):
    vnfm = make_vnfm(migration_type="MIGRATE")
    notify_and_wait(vnfm, side, "s1", "PREPARE_MAINTENANCE", [VM["vm-b"], VM["vm-y"]])
    assert side.replies[0]["body"] == {
        "state": "ACK_PREPARE_MAINTENANCE", "session_id": "s1",
        "instance_actions": {VM["vm-b"]: "MIGRATE", VM["vm-y"]: "MIGRATE"}}
    assert vnfm.active == VM["vm-a"] and len(vnfm.role_log) == 1


def test_own_action_replaces_extras_itself_and_migrates_the_pair(make_vnfm, side, sim):
    vnfm = make_vnfm(own_action=True)
    notify_and_wait(vnfm, side, "s1", "PREPARE_MAINTENANCE", [VM["vm-a"], VM["vm-x"]])
    body = side.replies[0]["body"]
    assert body["instance_actions"] == {VM["vm-a"]: "LIVE_MIGRATE", VM["vm-x"]: "OWN_ACTION"}
    [own] = vnfm.own_actions
    assert own["old"] == VM["vm-x"]
    servers = live_servers(sim, PROJECT)
    assert VM["vm-x"] not in servers and servers[own["new"]]["status"] == "ACTIVE"
    assert vnfm.app.extras == [VM["vm-y"], own["new"]]


def test_instance_action_done_is_recorded_without_a_reply(make_vnfm, side):
    vnfm = make_vnfm()
    notify_and_wait(vnfm, side, "s1", "INSTANCE_ACTION_DONE", instance_id=VM["vm-a"])
    assert side.replies == [] and side.gets == []
    [done] = vnfm.actions_done
    assert done["instance_id"] == VM["vm-a"] and done["session_id"] == "s1"
    assert done["t"] == vnfm.received[0]["received_at"]
    assert vnfm.received[0]["instance_ids"] == [VM["vm-a"]]


def test_nack_refuses_only_the_given_state_and_does_nothing_for_it(make_vnfm, side):
    vnfm = make_vnfm(behaviour="nack", nack_state="PLANNED_MAINTENANCE")
    notify_and_wait(vnfm, side, "s1", "MAINTENANCE", PAIR + EXTRAS)
    notify_and_wait(vnfm, side, "s1", "PLANNED_MAINTENANCE", [VM["vm-a"]])
    assert side.replies_for("s1") == [
        {"state": "ACK_MAINTENANCE", "session_id": "s1", "instance_ids": PAIR + EXTRAS},
        {"state": "NACK_PLANNED_MAINTENANCE", "session_id": "s1"}]
    assert vnfm.active == VM["vm-a"] and vnfm.switches == []


def test_silent_ignores_until_switched_back_then_replies_to_the_pending_one(make_vnfm, side, sim):
    vnfm = make_vnfm(behaviour="silent")
    notify_and_wait(vnfm, side, "s1", "MAINTENANCE", PAIR + EXTRAS)
    notify_and_wait(vnfm, side, "s1", "SCALE_IN", PAIR + EXTRAS)
    assert side.replies == []
    assert vnfm.states() == ["MAINTENANCE", "SCALE_IN"]
    assert len(live_servers(sim, PROJECT)) == 4
    vnfm.set_behaviour("ack")
    reply = vnfm.reply_pending()
    assert reply["status"] == 200 and reply["state"] == "ACK_SCALE_IN"
    assert side.replies_for("s1") == [
        {"state": "ACK_SCALE_IN", "session_id": "s1", "instance_ids": PAIR + [VM["vm-x"]]}]
    assert len(live_servers(sim, PROJECT)) == 3
    assert vnfm.reply_pending() is None


def test_a_resent_notification_clears_the_pending_one(make_vnfm, side):
    vnfm = make_vnfm(behaviour="silent")
    notify_and_wait(vnfm, side, "s1", "MAINTENANCE", PAIR)
    vnfm.set_behaviour("ack")
    notify_and_wait(vnfm, side, "s1", "MAINTENANCE", PAIR)
    assert [b["state"] for b in side.replies_for("s1")] == ["ACK_MAINTENANCE"]
    assert vnfm.reply_pending() is None


def test_reply_is_retried_on_503_but_not_on_400(make_vnfm, side):
    sleeps = []
    vnfm = make_vnfm(sleeps=sleeps)
    side.put_statuses = [503, 503]
    notify_and_wait(vnfm, side, "s1", "MAINTENANCE", PAIR)
    assert [r["status"] for r in side.replies] == [503, 503, 200]
    assert vnfm.replies[-1]["attempts"] == 3 and len(sleeps) == 2
    side.put_statuses = [400]
    notify_and_wait(vnfm, side, "s2", "MAINTENANCE", PAIR)
    assert [r["status"] for r in side.replies if r["session_id"] == "s2"] == [400]
    assert vnfm.replies[-1]["status"] == 400 and vnfm.replies[-1]["attempts"] == 1
    assert len(sleeps) == 2


def test_notifications_for_another_project_are_ignored(make_vnfm, side):
    vnfm = make_vnfm()
    side.instance_ids["s1"] = [VM["vm-o"]]
    status, _ = side.notify(vnfm.url, "s1", OTHER_PROJECT, "SCALE_IN")
    assert status == 200
    assert vnfm.wait_idle(5)
    assert vnfm.received == [] and side.replies == []


def test_a_bad_webhook_body_is_refused_with_the_reason(make_vnfm):
    vnfm = make_vnfm()
    status, answer = post_json(vnfm.url, {"reason_data": {"type": "event", "event": {"traits": [
        ["state", 1, "MAINTENANCE"]]}}})
    assert status == 400 and "no session_id" in answer["error"]
    assert vnfm.received == []


def test_deploy_builds_the_pair_apart_and_the_extras(make_vnfm, sim, side):
    vnfm = make_vnfm(project_id=EMPTY_PROJECT, adopt=False)
    app = vnfm.deploy("m1.tiny", 2, image=DEFAULT_IMAGE)
    servers = live_servers(sim, EMPTY_PROJECT)
    assert len(servers) == 4 and all(s["status"] == "ACTIVE" for s in servers.values())
    hosts = {servers[member]["host"] for member in app.pair}
    assert len(hosts) == 2
    assert servers[app.pair[0]]["group"] == servers[app.pair[1]]["group"] is not None
    assert all(servers[extra]["group"] is None for extra in app.extras)
    assert vnfm.active == app.pair[0]
    again = make_vnfm(project_id=EMPTY_PROJECT)
    assert again.app.pair == app.pair and again.app.extras == app.extras


def test_deploy_boots_from_the_image_and_network_it_was_given(make_vnfm, sim):
    vnfm = make_vnfm(project_id=EMPTY_PROJECT, adopt=False, image=DEFAULT_IMAGE,
                     network=DEFAULT_NETWORK)
    app = vnfm.deploy("m1.tiny", 1)
    booted = [sim.model.servers[s] for s in app.pair + app.extras]
    assert [(s.image_ref, s.networks) for s in booted] == [(DEFAULT_IMAGE, "list")] * 3
    nowhere = make_vnfm(project_id=EMPTY_PROJECT, adopt=False, image=DEFAULT_IMAGE,
                        network="00000000-0000-4000-8000-00000000dead")
    with pytest.raises(TenantCloudError) as refused:
        nowhere.deploy("m1.tiny", 0)
    assert refused.value.code == "bad_request"
    assert "Network 00000000-0000-4000-8000-00000000dead could not be found." in refused.value.message


def test_sessions_are_handled_in_order(make_vnfm, side):
    vnfm = make_vnfm()
    side.instance_ids["s1"] = PAIR + EXTRAS
    for state in ("MAINTENANCE", "SCALE_IN", "MAINTENANCE_COMPLETE"):
        assert side.notify(vnfm.url, "s1", PROJECT, state)[0] == 200
    wait_for(lambda: len(side.replies) == 3, what="three replies")
    assert [b["state"] for b in side.replies_for("s1")] == [
        "ACK_MAINTENANCE", "ACK_SCALE_IN", "ACK_MAINTENANCE_COMPLETE"]
    assert len(vnfm.app.extras) == 2


def test_a_cloud_failure_while_scaling_in_is_answered_with_nack(make_vnfm, side, sim):
    vnfm = make_vnfm()
    status, _ = post_json(sim.base_url + "/_sim/faults", {"type": "api_unavailable", "seconds": 1e5})
    assert status == 201
    try:
        notify_and_wait(vnfm, side, "s1", "SCALE_IN", PAIR + EXTRAS)
    finally:
        with sim.model.lock:
            sim.model.clear_faults()
    assert side.replies_for("s1") == [{"state": "NACK_SCALE_IN", "session_id": "s1"}]
    [error] = vnfm.errors
    assert error["state"] == "SCALE_IN" and "could not act" in error["message"]
    assert vnfm.app.extras == EXTRAS and len(live_servers(sim, PROJECT)) == 4


def test_the_sample_vnfm_subscribes_by_default_to_what_a_session_sends_by_default():
    assert DEFAULT_EVENT_TYPE == session_input.DEFAULTS["event_type"] == "maintenance.scheduled"
