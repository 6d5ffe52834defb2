"""Fenix's admin API over HTTP on a fake Mistral: what starts a session, what is refused."""

import pytest

from api_fake_mistral import FakeMistral, running_api
from api_http_client import request
import fake_keystone

DOCTOR_BODY = {"hosts": ["compute-0", "compute-1"], "state": "MAINTENANCE",
               "maintenance_at": "2026-11-22 10:00:30",
               "metadata": {"openstack_version": "Rocky"}, "workflow": "default"}
MEMBER = fake_keystone.headers("p1")
ADMIN = fake_keystone.headers("ops", "admin")


@pytest.fixture
def mistral():
    return FakeMistral()


@pytest.fixture
def api(mistral):
    running = running_api(mistral)
    yield running
    running.stop()


def test_doctors_post_starts_a_rolling_session_with_fenix_fields_translated(api, mistral):
    status, body, _ = request(api.url, "POST", "/v1/maintenance", DOCTOR_BODY)
    [execution] = mistral.executions.created
    assert (status, body) == (200, {"session_id": execution.id})
    assert execution.workflow_name == "maintenance.rolling"
    assert execution.input == {"hosts": ["compute-0", "compute-1"],
                               "maintenance_at": "2026-11-22T10:00:30Z",
                               "metadata": {"openstack_version": "Rocky"}, "workflow": "default"}
    assert request(api.url, "GET", "/v1/maintenance")[:2] == (
        200, {"sessions": [execution.id], "session_id": [execution.id]})
    status, body, _ = request(api.url, "GET", "/v1/maintenance/" + execution.id)
    assert status == 200 and body["session_id"] == execution.id
    assert body["state"] == "MAINTENANCE"


def test_the_vnf_workflow_starts_a_session_that_asks_per_instance(api, mistral):
    assert request(api.url, "POST", "/v1/maintenance", dict(DOCTOR_BODY, workflow="vnf"))[0] == 200
    assert mistral.executions.created[0].input["workflow"] == "vnf"


def test_session_input_fields_and_plugins_pass_through(api, mistral):
    actions = [{"plugin": "os_upgrade", "type": "host", "metadata": {"upgrade": "SW1"}}]
    body = dict(DOCTOR_BODY, actions=actions, project_maintenance_reply=30,
                event_type="maintenance.planned", download=[])
    assert request(api.url, "POST", "/v1/maintenance", body)[0] == 200
    given = mistral.executions.created[0].input
    assert given["actions"] == actions and given["project_maintenance_reply"] == 30
    assert given["event_type"] == "maintenance.planned" and "download" not in given


@pytest.mark.parametrize("changes, words", [
    ({"download": [{"url": "https://sw/SW1.tar.gz", "size": "200M"}]}, "download is not supported"),
    ({"workflow": "mine"}, "unknown workflow 'mine'"),
    ({"state": "PLANNED_MAINTENANCE"}, "state: a session starts in MAINTENANCE"),
    ({"maintenance_at": "tomorrow"}, "maintenance_at: 'tomorrow' is not an ISO 8601 time"),
    ({"hosts": "compute-0"}, "hosts: 'compute-0' is not of type 'array'"),
    ({"actions": [{"plugin": "x", "type": "during"}]}, "actions[0].type"),
    ({"reply_url": "x", "colour": "red"}, "not supported: colour, reply_url"),
])
def test_what_is_not_supported_is_400_naming_it_and_starts_nothing(api, mistral, changes, words):
    status, body, _ = request(api.url, "POST", "/v1/maintenance", dict(DOCTOR_BODY, **changes))
    assert status == 400 and words in body["error"]["message"], body
    assert mistral.executions.created == []


def test_unknown_sessions_are_404_and_detail_is_not_a_project(api, mistral):
    for method in ("GET", "PUT", "DELETE"):
        status, body, _ = request(api.url, method, "/v1/maintenance/nope")
        assert status == 404 and body["error"]["message"] == "no maintenance session nope"
    assert request(api.url, "GET", "/v1/maintenance/nope/detail")[0] == 404
    status, _, response = request(api.url, "POST", "/v1/maintenance/nope")
    assert status == 405 and response.getheader("Allow") == "GET, PUT, DELETE"


def test_delete_cancels_a_running_session_and_leaves_a_done_one(api, mistral):
    session_id = request(api.url, "POST", "/v1/maintenance", DOCTOR_BODY)[1]["session_id"]
    status, body, _ = request(api.url, "DELETE", "/v1/maintenance/" + session_id)
    [_, cancel] = mistral.executions.created
    assert (status, body) == (200, {"session_id": session_id, "cancel_execution_id": cancel.id})
    assert (cancel.workflow_name, cancel.input) == ("maintenance.cancel", {"session_id": session_id})
    mistral.executions.by_id[session_id].state = "SUCCESS"
    assert request(api.url, "DELETE", "/v1/maintenance/" + session_id)[:2] == (200, {})
    assert len(mistral.executions.created) == 2


def test_put_continues_only_a_failed_session_and_takes_no_fields(api, mistral):
    session_id = request(api.url, "POST", "/v1/maintenance", DOCTOR_BODY)[1]["session_id"]
    status, body, _ = request(api.url, "PUT", "/v1/maintenance/" + session_id)
    assert status == 409 and "is RUNNING, not failed" in body["error"]["message"]
    status, body, _ = request(api.url, "PUT", "/v1/maintenance/" + session_id, {"hosts": []})
    assert status == 400 and body["error"]["message"].startswith("not supported: hosts")


def test_only_an_admin_may_use_it_under_keystone(mistral, fake_keystone):
    api = running_api(mistral, auth="keystone")
    try:
        assert request(api.url, "GET", "/v1/maintenance")[0] == 401
        assert request(api.url, "GET", "/v1/maintenance", headers=MEMBER)[0] == 403
        assert request(api.url, "POST", "/v1/maintenance", DOCTOR_BODY, headers=MEMBER)[0] == 403
        assert mistral.executions.created == []
        assert request(api.url, "POST", "/v1/maintenance", DOCTOR_BODY, headers=ADMIN)[0] == 200
    finally:
        api.stop()
