"""Webhook bodies decode back to the payload, whatever text form the traits took."""

import re

import pytest

from rolling_maintenance.notify import payloads
from rolling_maintenance.vnfm.traits import BadNotification, decode_text, parse_notification

API = "http://127.0.0.1:9999"


def body_for(state, **kwargs):
    payload = payloads.project_event("s-1", "p-1", state, API, reply_at="2026-11-22T10:00:00Z",
                                     **kwargs)
    return payloads.aodh_webhook_body("maintenance.planned", payload, {"alarm_id": "a-1"})


def aodh_body(traits):
    return {"alarm_id": "a", "current": "alarm",
            "reason_data": {"type": "event", "event": {"event_type": "maintenance.planned",
                                                       "message_id": "m", "generated": "g",
                                                       "traits": traits, "raw": {}}}}


def test_list_repr_decodes_to_a_list():
    assert decode_text("['MIGRATE', 'LIVE_MIGRATE', 'OWN_ACTION']") == [
        "MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"]


def test_dict_repr_decodes_to_a_dict():
    assert decode_text("{'openstack_version': 'Queens', 'n': 2}") == {
        "openstack_version": "Queens", "n": 2}


def test_yaml_flow_form_decodes_too():
    assert decode_text("[MIGRATE, LIVE_MIGRATE]") == ["MIGRATE", "LIVE_MIGRATE"]
    assert decode_text("{a: b}") == {"a": "b"}


def test_none_text_is_none_and_plain_text_stays():
    assert decode_text("None") is None
    assert decode_text("http://x/v1/maintenance/s/p") == "http://x/v1/maintenance/s/p"
    assert decode_text("6f1c2b1e-6d0a-4c59-9d0e-3c1f2a7b8e10") == "6f1c2b1e-6d0a-4c59-9d0e-3c1f2a7b8e10"


def test_truncated_repr_stays_text():
    cut = str({"k%d" % i: "v" * 20 for i in range(20)})[:255]
    assert decode_text(cut) == cut


def test_prepare_maintenance_body_gives_the_payload_back():
    payload = parse_notification(body_for("PREPARE_MAINTENANCE",
                                          metadata={"openstack_version": "Queens"}))
    assert payload["state"] == "PREPARE_MAINTENANCE"
    assert payload["session_id"] == "s-1"
    assert payload["project_id"] == payload["tenant_id"] == "p-1"
    assert payload["allowed_actions"] == ["MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"]
    assert payload["metadata"] == {"openstack_version": "Queens"}
    assert payload["instance_ids"] == API + "/v1/maintenance/s-1/p-1"
    assert payload["reply_url"] == API + "/v1/maintenance/s-1/p-1"
    assert payload["reply_at"] == "2026-11-22T10:00:00Z"
    assert payload["actions_at"] is None
    assert payload["event_type"] == "maintenance.planned"


def test_empty_allowed_actions_and_metadata():
    payload = parse_notification(body_for("MAINTENANCE"))
    assert payload["allowed_actions"] == []
    assert payload["metadata"] == {}


def test_instance_action_done_carries_the_one_id_in_a_list_as_fenix_sends_it():
    body = body_for("INSTANCE_ACTION_DONE", instance_ids="i-9")
    traits = {name: value for name, _, value in body["reason_data"]["event"]["traits"]}
    assert traits["instance_ids"] == "['i-9']"
    assert parse_notification(body)["instance_ids"] == ["i-9"]


def test_inline_instance_list_is_decoded():
    payload = parse_notification(aodh_body([["state", 1, "SCALE_IN"], ["session_id", 1, "s"],
                                            ["instance_ids", 1, "['i-1', 'i-2']"]]))
    assert payload["instance_ids"] == ["i-1", "i-2"]


@pytest.mark.parametrize("body, message", [
    ([], "JSON object"),
    ({"alarm_id": "a"}, "no reason_data"),
    ({"reason_data": {"type": "threshold"}}, "not an event alarm"),
    (aodh_body([["state", 1, "REBOOT"], ["session_id", 1, "s"]]), "unknown maintenance state 'REBOOT'"),
    (aodh_body([["state", 1, "MAINTENANCE"]]), "no session_id"),
    (aodh_body([["state", "MAINTENANCE"]]), "traits[0]"),
    (aodh_body([["state", 1, "MAINTENANCE"], ["session_id", 1, "s"],
                ["allowed_actions", 1, "MIGRATE"]]), "allowed_actions must be a list"),
])
def test_bad_bodies_are_named(body, message):
    with pytest.raises(BadNotification, match=re.escape(message)):
        parse_notification(body)
