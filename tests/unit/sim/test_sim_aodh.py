"""Aodh event alarms through aodhclient."""

import pytest
from aodhclient import exceptions as aodh_exceptions


def alarm_body(name, event_type="maintenance.planned", **extra):
    body = {"name": name, "type": "event", "event_rule": {"event_type": event_type, "query": []},
            "alarm_actions": ["http://127.0.0.1:9/maintenance"], "repeat_actions": True}
    body.update(extra)
    return body


def test_create_list_delete(cloud):
    admin = cloud.aodh(cloud.admin)
    member = cloud.aodh(cloud.member("p1"))
    made = member.alarm.create(alarm_body("vnfm-p1"))
    assert (made["project_id"], made["type"], made["state"], made["repeat_actions"]) == (
        "p1", "event", "insufficient data", True)
    assert made["event_rule"] == {"event_type": "maintenance.planned", "query": []}
    admin.alarm.create(alarm_body("admin-watch", event_type="maintenance.host"))
    assert [a["name"] for a in admin.alarm.list()] == ["admin-watch"]
    everything = admin.alarm.list(filters={"type": "event", "all_projects": "true"})
    assert [a["name"] for a in everything] == ["admin-watch", "vnfm-p1"]
    assert [a["name"] for a in member.alarm.list(filters={"all_projects": "true"})] == ["vnfm-p1"]
    assert member.alarm.get(made["alarm_id"])["name"] == "vnfm-p1"
    member.alarm.delete(made["alarm_id"])
    assert member.alarm.list() == []
    kinds = [(e["type"], e["project"], e["event_type"]) for e in cloud.sim.events()]
    assert kinds == [("alarm.created", "p1", "maintenance.planned"),
                     ("alarm.created", "admin", "maintenance.host"),
                     ("alarm.deleted", "p1", "maintenance.planned")]


def test_filters_by_name_and_project(cloud):
    admin = cloud.aodh(cloud.admin)
    admin.alarm.create(alarm_body("one", project_id="p1"))
    admin.alarm.create(alarm_body("two", project_id="p2"))
    found = admin.alarm.list(filters={"all_projects": "true", "project_id": "p2"})
    assert [a["name"] for a in found] == ["two"]
    assert [a["name"] for a in admin.alarm.list(filters={"all_projects": "true", "name": "one"})] == ["one"]


def test_members_do_not_see_other_projects_alarms(cloud):
    theirs = cloud.aodh(cloud.member("p2")).alarm.create(alarm_body("p2-alarm"))
    member = cloud.aodh(cloud.member("p1"))
    with pytest.raises(aodh_exceptions.NotFound, match="Alarm %s not found" % theirs["alarm_id"]):
        member.alarm.get(theirs["alarm_id"])
    with pytest.raises(aodh_exceptions.NotFound):
        member.alarm.delete(theirs["alarm_id"])


def test_member_cannot_create_for_another_project(cloud):
    member = cloud.aodh(cloud.member("p1"))
    with pytest.raises(aodh_exceptions.Unauthorized, match="Not Authorized to access project p2"):
        member.alarm.create(alarm_body("sneaky", project_id="p2"))


def test_duplicate_name_in_a_project_is_409(cloud):
    member = cloud.aodh(cloud.member("p1"))
    member.alarm.create(alarm_body("same"))
    with pytest.raises(aodh_exceptions.Conflict, match="Alarm with name='same' exists"):
        member.alarm.create(alarm_body("same"))
    cloud.aodh(cloud.member("p2")).alarm.create(alarm_body("same"))


@pytest.mark.parametrize("change, message", [
    ({"type": "threshold"}, "Unsupported alarm type"),
    ({"name": ""}, "name"),
    ({"alarm_actions": ["ftp://x"]}, "Unsupported action ftp://x"),
    ({"severity": "huge"}, "severity"),
    ({"repeat_actions": "yes"}, "repeat_actions"),
])
def test_bad_alarms_are_400(cloud, change, message):
    body = alarm_body("x")
    body.update(change)
    answer = cloud.http("POST", "/alarming/v2/alarms", cloud.token(), json=body)
    assert answer.status_code == 400
    assert message in answer.json()["error_message"]["faultstring"]


def test_update_keeps_the_id(cloud):
    client = cloud.aodh(cloud.member("p1"))
    made = client.alarm.create(alarm_body("before"))
    updated = client.alarm.update(made["alarm_id"], {"name": "after"})
    assert (updated["alarm_id"], updated["name"]) == (made["alarm_id"], "after")


def test_unsupported_query_operator_is_400(cloud):
    answer = cloud.http("GET", "/alarming/v2/alarms?q.field=name&q.op=gt&q.value=a", cloud.token())
    assert answer.status_code == 400
    assert "Operator gt is not supported" in answer.json()["error_message"]["faultstring"]
