"""Error answers: Nova's JSON shapes, microversion checks, outages, bugs."""

import pytest
from simcloud import sid


def nova(cloud, method, path, json=None, data=None, version=None):
    headers = {"OpenStack-API-Version": "compute %s" % version} if version else {}
    return cloud.http(method, "/compute/v2.1" + path, cloud.token(), json=json, data=data,
                      headers=headers)


def test_not_found_is_item_not_found(cloud):
    answer = nova(cloud, "GET", "/servers/nope")
    assert answer.status_code == 404
    assert answer.json() == {"itemNotFound": {"code": 404, "message": "Instance nope could not be found."}}
    assert answer.headers["X-Openstack-Request-Id"].startswith("req-")


def test_conflict_is_conflicting_request(cloud):
    answer = nova(cloud, "POST", "/servers/%s/action" % sid("vm1"), json={"confirmResize": None})
    assert answer.status_code == 409
    assert answer.json()["conflictingRequest"]["message"] == (
        "Cannot 'confirmResize' instance %s while it is in vm_state active" % sid("vm1"))


@pytest.mark.parametrize("kwargs, message", [
    ({"data": "{not json"}, "Malformed request body"),
    ({"json": {"reboot": {"type": "HARD"}}}, "There is no such action: reboot"),
    ({"json": ["migrate"]}, "must be a JSON object"),
    ({"json": {"os-migrateLive": {"host": None}}}, "'block_migration' is a required property"),
    ({"json": {"os-migrateLive": {"host": 3, "block_migration": "auto"}}}, "host"),
    ({"json": {"os-migrateLive": {"host": None, "block_migration": "sometimes"}}}, "block_migration"),
    ({"json": {"migrate": None, "confirmResize": None}}, "no such action"),
    ({"json": {"confirmResize": {"now": True}}}, "None is expected"),
])
def test_bad_action_bodies_are_bad_request(cloud, kwargs, message):
    answer = nova(cloud, "POST", "/servers/%s/action" % sid("vm1"), version="2.30", **kwargs)
    assert answer.status_code == 400
    assert message in answer.json()["badRequest"]["message"]
    assert cloud.sim.model.migrations == {}


def test_force_is_refused_from_2_68(cloud):
    body = {"os-migrateLive": {"host": "compute-2", "block_migration": "auto", "force": True}}
    answer = nova(cloud, "POST", "/servers/%s/action" % sid("vm1"), json=body, version="2.68")
    assert answer.status_code == 400
    assert "'force' was unexpected" in answer.json()["badRequest"]["message"]


def test_unknown_paths_and_methods(cloud):
    assert nova(cloud, "GET", "/os-nothing").status_code == 404
    assert nova(cloud, "PATCH", "/servers/%s" % sid("vm1")).status_code == 405
    assert cloud.http("GET", "/nowhere").status_code == 404


def test_microversion_negotiation(cloud):
    answer = nova(cloud, "GET", "/servers", version="2.53")
    assert answer.headers["OpenStack-API-Version"] == "compute 2.53"
    assert answer.headers["X-OpenStack-Nova-API-Version"] == "2.53"
    assert nova(cloud, "GET", "/servers").headers["OpenStack-API-Version"] == "compute 2.1"
    assert nova(cloud, "GET", "/servers", version="latest").headers["OpenStack-API-Version"] == "compute 2.96"
    legacy = cloud.http("GET", "/compute/v2.1/servers", cloud.token(),
                        headers={"X-OpenStack-Nova-API-Version": "2.60"})
    assert legacy.headers["OpenStack-API-Version"] == "compute 2.60"
    too_new = nova(cloud, "GET", "/servers", version="2.97")
    assert too_new.status_code == 406
    assert "Minimum is 2.1 and maximum is 2.96" in too_new.json()["computeFault"]["message"]
    assert nova(cloud, "GET", "/servers", version="two").status_code == 400


def test_version_documents_need_no_token(cloud):
    doc = cloud.http("GET", "/compute/v2.1").json()["version"]
    assert (doc["min_version"], doc["version"], doc["status"]) == ("2.1", "2.96", "CURRENT")
    assert cloud.http("GET", "/compute").json()["versions"][0]["id"] == "v2.1"
    assert cloud.http("GET", "/alarming").json()["versions"]["values"][0]["id"] == "v2"


def test_api_unavailable_window(cloud):
    token = cloud.token()
    fault = cloud.http("POST", "/_sim/faults", json={"type": "api_unavailable", "seconds": 10})
    assert fault.status_code == 201 and fault.json()["until"] == 10.0
    for path in ("/compute/v2.1/servers", "/identity/v3", "/alarming/v2/alarms"):
        assert cloud.http("GET", path, token).status_code == 503, path
    assert cloud.http("GET", "/_sim/state").status_code == 200
    cloud.advance(9.9)
    assert cloud.http("GET", "/compute/v2.1/servers", token).status_code == 503
    cloud.advance(0.1)
    assert cloud.http("GET", "/compute/v2.1/servers", token).status_code == 200


def test_an_outage_of_one_api_leaves_the_others_up(cloud):
    token = cloud.token()
    fault = cloud.http("POST", "/_sim/faults",
                       json={"type": "api_unavailable", "seconds": 5, "service": "compute"})
    assert fault.status_code == 201 and fault.json()["service"] == "compute"
    assert cloud.http("GET", "/compute/v2.1/servers", token).status_code == 503
    for path in ("/identity/v3", "/alarming/v2/alarms"):
        assert cloud.http("GET", path, token).status_code == 200, path
    cloud.advance(5)
    assert cloud.http("GET", "/compute/v2.1/servers", token).status_code == 200
    refused = cloud.http("POST", "/_sim/faults",
                         json={"type": "api_unavailable", "seconds": 5, "service": "nova"})
    assert refused.status_code == 400 and "service" in refused.text


def test_a_simulator_bug_is_a_500_with_its_message(cloud, monkeypatch):
    def broken():
        raise RuntimeError("boom")
    monkeypatch.setattr(cloud.sim.model, "snapshot", broken)
    answer = cloud.http("GET", "/_sim/state")
    assert answer.status_code == 500
    assert answer.json()["error"]["message"] == "Unexpected simulator error: RuntimeError: boom"
    assert cloud.http("GET", "/_sim/clock").status_code == 200
