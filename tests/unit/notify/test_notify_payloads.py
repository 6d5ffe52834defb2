"""Payload builders: exact Fenix shapes, Ceilometer's trait text, Aodh's webhook body."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rolling_maintenance.notify import payloads

API = "http://127.0.0.1:12347"
URL = API + "/v1/maintenance/s-1/p-1"


def test_planned_maintenance_event_has_the_fenix_shape():
    payload = payloads.project_event(
        "s-1", "p-1", "PLANNED_MAINTENANCE", API + "/",
        actions_at=datetime.datetime(2026, 11, 22, 10, 0, 0),
        reply_at="2026-11-22T10:05:00Z", metadata={"openstack_version": "Rocky"})
    assert payload == {
        "project_id": "p-1",
        "tenant_id": "p-1",
        "instance_ids": URL,
        "allowed_actions": ["MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"],
        "state": "PLANNED_MAINTENANCE",
        "actions_at": "2026-11-22T10:00:00Z",
        "reply_at": "2026-11-22T10:05:00Z",
        "session_id": "s-1",
        "metadata": {"openstack_version": "Rocky"},
        "reply_url": URL,
    }


@pytest.mark.parametrize("state, allowed", [
    ("MAINTENANCE", []),
    ("SCALE_IN", []),
    ("PREPARE_MAINTENANCE", ["MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"]),
    ("PLANNED_MAINTENANCE", ["MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"]),
    ("MAINTENANCE_COMPLETE", []),
])
def test_allowed_actions_follow_the_state_and_instances_are_a_url(state, allowed):
    payload = payloads.project_event("s-1", "p-1", state, API)
    assert payload["allowed_actions"] == allowed
    assert payload["instance_ids"] == URL == payload["reply_url"]
    assert payload["metadata"] == {}
    assert payload["actions_at"] is None and payload["reply_at"] is None


def test_instance_action_done_names_its_one_instance():
    payload = payloads.project_event("s-1", "p-1", "INSTANCE_ACTION_DONE", API,
                                     instance_ids="vm-1")
    assert payload["instance_ids"] == ["vm-1"]
    assert payload["reply_url"] == URL
    assert payload["allowed_actions"] == []


@pytest.mark.parametrize("kwargs, field", [
    ({"state": "INSTANCE_ACTION_DONE"}, "instance_ids"),
    ({"state": "MAINTENANCE", "instance_ids": "vm-1"}, "instance_ids"),
    ({"state": "UPGRADE"}, "state"),
    ({"state": "MAINTENANCE", "api_url": "ftp://x"}, "api_url"),
    ({"state": "MAINTENANCE", "api_url": None}, "api_url"),
    ({"state": "MAINTENANCE", "session_id": ""}, "session_id"),
    ({"state": "MAINTENANCE", "project_id": None}, "project_id"),
    ({"state": "MAINTENANCE", "metadata": ["x"]}, "metadata"),
    ({"state": "PLANNED_MAINTENANCE", "allowed_actions": ["REBOOT"]}, "allowed_actions"),
    ({"state": "PLANNED_MAINTENANCE", "allowed_actions": "MIGRATE"}, "allowed_actions"),
    ({"state": "MAINTENANCE", "reply_at": "tomorrow"}, "ISO 8601"),
])
def test_bad_project_event_input_names_the_field(kwargs, field):
    args = {"session_id": "s-1", "project_id": "p-1", "api_url": API}
    args.update(kwargs)
    with pytest.raises(payloads.PayloadError) as caught:
        payloads.project_event(args.pop("session_id"), args.pop("project_id"),
                               args.pop("state"), args.pop("api_url"), **args)
    assert field in str(caught.value)


@pytest.mark.parametrize("value, text", [
    (datetime.datetime(2026, 11, 22, 10, 0, 0, 999999), "2026-11-22T10:00:00Z"),
    (datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
     "2026-11-22T10:00:00Z"),
    (0, "1970-01-01T00:00:00Z"),
    (1795341600.7, "2026-11-22T10:00:00Z"),
    ("2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z"),
    ("2026-11-22T11:00:00+01:00", "2026-11-22T10:00:00Z"),
    ("2026-11-22 10:00:00", "2026-11-22T10:00:00Z"),
    (None, None),
])
def test_times_are_whole_second_utc_iso(value, text):
    assert payloads.iso_utc(value) == text


@pytest.mark.parametrize("value", [True, [2026], "11/22/2026"])
def test_bad_times_are_refused(value):
    with pytest.raises(payloads.PayloadError):
        payloads.iso_utc(value)


def test_host_event_shape_and_states():
    assert payloads.host_event("cmp-1", "IN_MAINTENANCE", "s-1", "admin-p") == {
        "host": "cmp-1", "state": "IN_MAINTENANCE", "session_id": "s-1", "project_id": "admin-p"}
    assert payloads.host_event("cmp-1", "MAINTENANCE_COMPLETE", "s-1", None)["project_id"] is None
    with pytest.raises(payloads.PayloadError, match="state must be one of IN_MAINTENANCE"):
        payloads.host_event("cmp-1", "DOWN", "s-1", "admin-p")
    with pytest.raises(payloads.PayloadError, match="host"):
        payloads.host_event("", "IN_MAINTENANCE", "s-1", "admin-p")


def test_session_event_shape_and_progress():
    assert payloads.session_event("s-1", "PLANNED_MAINTENANCE", 1, 3) == {
        "session_id": "s-1", "state": "PLANNED_MAINTENANCE", "percent_done": 33,
        "hosts_done": 1, "hosts_total": 3, "reason": None}
    failed = payloads.session_event("s-1", "MAINTENANCE_FAILED", 2, 4, "migration of vm-1 failed",
                                    percent_done=55)
    assert failed["percent_done"] == 55 and failed["reason"] == "migration of vm-1 failed"
    assert payloads.session_event("s-1", "MAINTENANCE_DONE", 0, 0)["percent_done"] == 100
    assert payloads.session_event("s-1", "MAINTENANCE", 0, 0)["percent_done"] == 0


@pytest.mark.parametrize("args, kwargs, field", [
    (("s-1", "MAINTENANCE", 4, 3), {}, "hosts_done"),
    (("s-1", "MAINTENANCE", -1, 3), {}, "hosts_done"),
    (("s-1", "MAINTENANCE", 1, "3"), {}, "hosts_total"),
    (("s-1", "PAUSED", 1, 3), {}, "state"),
    (("s-1", "MAINTENANCE", 1, 3), {"percent_done": 101}, "percent_done"),
    (("s-1", "MAINTENANCE", 1, 3, 42), {}, "reason"),
])
def test_bad_session_event_names_the_field(args, kwargs, field):
    with pytest.raises(payloads.PayloadError, match=field):
        payloads.session_event(*args, **kwargs)


ALARM = {
    "alarm_id": "a-1", "name": "vnfm-maintenance", "severity": "moderate", "state": "ok",
    "type": "event",
    "event_rule": {"event_type": "maintenance.planned",
                   "query": [{"field": "traits.project_id", "op": "eq", "value": "p-1"}]},
}


def test_aodh_webhook_body_is_what_aodh_posts():
    payload = payloads.project_event("s-1", "p-1", "PREPARE_MAINTENANCE", API,
                                     reply_at="2026-11-22T10:05:00Z",
                                     metadata={"openstack_version": "Rocky"})
    body = payloads.aodh_webhook_body("maintenance.planned", payload, ALARM, message_id="m-1",
                                      generated=datetime.datetime(2026, 11, 22, 10, 0, 1, 5))
    assert body == {
        "alarm_name": "vnfm-maintenance",
        "alarm_id": "a-1",
        "severity": "moderate",
        "previous": "ok",
        "current": "alarm",
        "reason": 'Event <id=m-1,event_type=maintenance.planned> hits the query '
                  '<query=[{"field": "traits.project_id", "op": "eq", "value": "p-1"}]>.',
        "reason_data": {"type": "event", "event": {
            "message_id": "m-1",
            "event_type": "maintenance.planned",
            "generated": "2026-11-22T10:00:01.000005",
            "traits": [
                ["project_id", 1, "p-1"],
                ["tenant_id", 1, "p-1"],
                ["instance_ids", 1, URL],
                ["allowed_actions", 1, "['MIGRATE', 'LIVE_MIGRATE', 'OWN_ACTION']"],
                ["state", 1, "PREPARE_MAINTENANCE"],
                ["reply_at", 1, "2026-11-22T10:05:00Z"],
                ["session_id", 1, "s-1"],
                ["metadata", 1, "{'openstack_version': 'Rocky'}"],
                ["reply_url", 1, URL],
            ],
            "raw": {},
        }},
    }


def test_long_values_are_cut_at_255_characters_like_ceilometer_does():
    metadata = {"notes": "x" * 400}
    payload = payloads.project_event("s-1", "p-1", "MAINTENANCE", API, metadata=metadata)
    body = payloads.aodh_webhook_body("maintenance.planned", payload, ALARM)
    traits = {name: value for name, _, value in body["reason_data"]["event"]["traits"]}
    assert len(traits["metadata"]) == 255
    assert traits["metadata"] == str(metadata)[:255]
    assert body["previous"] == "ok" and len(body["reason_data"]["event"]["message_id"]) == 36


def test_new_alarm_without_state_was_insufficient_data():
    alarm = {"alarm_id": "a-2", "name": "n"}
    body = payloads.aodh_webhook_body("maintenance.host", {"host": "h"}, alarm, generated=0)
    assert body["previous"] == "insufficient data" and body["severity"] == "low"
    assert body["reason"].endswith("hits the query <query=[]>.")
    assert body["reason_data"]["event"]["generated"] == "1970-01-01T00:00:00.000000"


@pytest.mark.parametrize("event_type, payload, alarm, field", [
    ("", {}, ALARM, "event_type"),
    ("maintenance.planned", [], ALARM, "payload"),
    ("maintenance.planned", {}, {"name": "no id"}, "alarm"),
])
def test_bad_webhook_body_input_names_the_field(event_type, payload, alarm, field):
    with pytest.raises(payloads.PayloadError, match=field):
        payloads.aodh_webhook_body(event_type, payload, alarm)


trait_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=300),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner,
                                                                 max_size=5),
    max_leaves=30)


@given(st.dictionaries(st.text(min_size=1, max_size=20), trait_values, max_size=8))
def test_every_trait_is_ceilometer_text(payload):
    traits = payloads.traits_of(payload)
    assert [name for name, _, _ in traits] == [k for k, v in payload.items() if v is not None]
    for name, trait_type, text in traits:
        assert trait_type == 1
        assert text == str(payload[name])[:255]
        assert len(text) <= 255


@pytest.mark.parametrize("state", ["PREPARE_MAINTENANCE", "PLANNED_MAINTENANCE"])
def test_a_per_instance_question_names_its_one_instance_in_a_list(state):
    payload = payloads.project_event("s-1", "p-1", state, API, instance_ids=["vm-1"],
                                     per_instance=True)
    assert payload["instance_ids"] == ["vm-1"] and payload["reply_url"] == URL
    assert payloads.trait_text(payload["instance_ids"]) == "['vm-1']"
    assert payload["allowed_actions"] == ["MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"]


@pytest.mark.parametrize("state, instance_ids, words", [
    ("MAINTENANCE", ["vm-1"], "only PREPARE_MAINTENANCE and PLANNED_MAINTENANCE"),
    ("PLANNED_MAINTENANCE", ["vm-1", "vm-2"], "exactly one instance"),
    ("PLANNED_MAINTENANCE", "vm-1", "exactly one instance"),
    ("PLANNED_MAINTENANCE", [""], "instance_ids[0]"),
])
def test_a_bad_per_instance_question_is_refused(state, instance_ids, words):
    with pytest.raises(payloads.PayloadError, match=words.replace("[", r"\[").replace("]", r"\]")):
        payloads.project_event("s-1", "p-1", state, API, instance_ids=instance_ids,
                               per_instance=True)
