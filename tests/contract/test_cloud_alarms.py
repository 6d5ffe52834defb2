"""Aodh event alarms: VNFM subscriptions, found per project across all projects."""

import openstack
import pytest

from contract_support import PROJECT_A, PROJECT_B, events_of
from rolling_maintenance import cloud

EVENT = "maintenance.planned"


def connect_as(sim, project_id):
    return openstack.connect(load_yaml_config=False, load_envvars=False,
                             **sim.project_credentials(project_id))


def test_member_creates_an_event_alarm_once(sim, member_conn, recorder):
    alarm = cloud.create_event_alarm(member_conn, "vnfm-a", EVENT, "http://127.0.0.1:9/hook")
    assert alarm["project_id"] == PROJECT_A
    assert alarm["event_rule"]["event_type"] == EVENT
    assert alarm["alarm_actions"] == ["http://127.0.0.1:9/hook"]
    assert alarm["repeat_actions"] is True

    post = recorder.one("POST", "/v2/alarms")
    assert post.json == {"name": "vnfm-a", "type": "event",
                         "event_rule": {"event_type": EVENT, "query": []},
                         "alarm_actions": ["http://127.0.0.1:9/hook"],
                         "repeat_actions": True, "enabled": True}
    listing = recorder.one("GET", "/v2/alarms")
    assert sorted(listing.query) == [("q.field", "name"), ("q.field", "type"),
                                     ("q.op", "eq"), ("q.op", "eq"),
                                     ("q.value", "event"), ("q.value", "vnfm-a")]

    recorder.clear()
    again = cloud.create_event_alarm(member_conn, "vnfm-a", EVENT, "http://127.0.0.1:9/hook")
    assert again["alarm_id"] == alarm["alarm_id"]
    assert recorder.writes() == []
    assert len(events_of(sim, "alarm.created")) == 1


def test_admin_creates_an_alarm_for_a_project(conn, recorder):
    alarm = cloud.create_event_alarm(conn, "vnfm-b", EVENT, "http://127.0.0.1:9/b",
                                     project_id=PROJECT_B)
    assert alarm["project_id"] == PROJECT_B
    assert recorder.one("POST", "/v2/alarms").json["project_id"] == PROJECT_B
    again = cloud.create_event_alarm(conn, "vnfm-b", EVENT, "http://127.0.0.1:9/b",
                                     project_id=PROJECT_B)
    assert again["alarm_id"] == alarm["alarm_id"]


def test_subscribed_projects(sim, conn, member_conn, recorder):
    a = cloud.create_event_alarm(member_conn, "vnfm-a", EVENT, "http://127.0.0.1:9/a")
    b = cloud.create_event_alarm(connect_as(sim, PROJECT_B), "vnfm-b", "maintenance.*",
                                 "http://127.0.0.1:9/b")
    cloud.create_event_alarm(member_conn, "other", "compute.instance.update",
                             "http://127.0.0.1:9/other")
    off = cloud.create_event_alarm(member_conn, "off", EVENT, "http://127.0.0.1:9/off")
    aodh = cloud.alarms.aodh(member_conn)
    aodh.alarm.update(off["alarm_id"], {"enabled": False})
    recorder.clear()

    subscribed = cloud.subscribed_projects(conn, EVENT)
    assert {p: [x["alarm_id"] for x in alarms] for p, alarms in subscribed.items()} == {
        PROJECT_A: [a["alarm_id"]], PROJECT_B: [b["alarm_id"]]}
    assert subscribed[PROJECT_A][0]["alarm_actions"] == ["http://127.0.0.1:9/a"]
    listing = recorder.one("GET", "/v2/alarms")
    assert listing.query == [("q.field", "all_projects"), ("q.op", "eq"), ("q.value", "true"),
                             ("q.field", "type"), ("q.op", "eq"), ("q.value", "event")]
    assert cloud.subscribed_projects(conn, "maintenance.host") == {PROJECT_B: subscribed[PROJECT_B]}


def test_delete_alarm_is_idempotent(sim, member_conn, recorder):
    alarm = cloud.create_event_alarm(member_conn, "vnfm-a", EVENT, "http://127.0.0.1:9/a")
    recorder.clear()
    assert cloud.delete_alarm(member_conn, alarm["alarm_id"]) is True
    assert recorder.one("DELETE", "/v2/alarms/" + alarm["alarm_id"])
    assert cloud.delete_alarm(member_conn, alarm["alarm_id"]) is False
    assert [e["alarm_id"] for e in events_of(sim, "alarm.deleted")] == [alarm["alarm_id"]]


def test_bad_alarm_input(conn):
    with pytest.raises(cloud.CloudError) as info:
        cloud.create_event_alarm(conn, "x", EVENT, "")
    assert info.value.code == "bad_request" and "webhook_url" in info.value.message
    with pytest.raises(cloud.CloudError) as info:
        cloud.subscribed_projects(conn, None)
    assert info.value.code == "bad_request"
