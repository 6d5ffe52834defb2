"""The constraints API over HTTP: schema errors, who may do what, 404s, idempotent PUT, persistence."""


import pytest

from api_fake_environments import FakeEnvironmentsClient
from api_fake_mistral import EPOCH_NOW, FakeMistral
from api_http_client import request
import fake_keystone
from rolling_maintenance.api import ReplyAPI
from rolling_maintenance.api.constraints_store import MistralConstraintsStore

GROUP_PATH = "/v1/instance_group/g1"
INSTANCE_PATH = "/v1/instance/vm-1"
GROUP = {"group_id": "g1", "project_id": "p1", "group_name": "pair", "anti_affinity_group": True,
         "max_instances_per_host": 1, "max_impacted_members": 1, "recovery_time": 10,
         "resource_mitigation": False}
INSTANCE = {"instance_id": "vm-1", "project_id": "p1", "group_id": "g1", "instance_name": "vm-a",
            "max_interruption_time": 1, "migration_type": "LIVE_MIGRATE",
            "resource_mitigation": False, "lead_time": 0}
P1 = fake_keystone.headers("p1")
P2 = fake_keystone.headers("p2")
ADMIN = fake_keystone.headers("ops", "reader,Admin")


class Stack:
    """The API on a fake Mistral whose environments outlive the API (a restart keeps them)."""

    def __init__(self):
        self.client = FakeMistral()
        self.client.environments = FakeEnvironmentsClient().environments
        self.apis = []

    def api(self, auth="none"):
        keystone_conf = fake_keystone.config() if auth == "keystone" else None
        api = ReplyAPI(mistral_client=self.client, auth=auth, clock=lambda: EPOCH_NOW,
                       keystone_conf=keystone_conf)
        self.apis.append(api)
        return api.start()

    def stop(self):
        for api in self.apis:
            api.stop()


@pytest.fixture
def stack():
    running = Stack()
    yield running
    running.stop()


@pytest.fixture
def url(stack):
    return stack.api()


@pytest.fixture
def keystone_url(stack, fake_keystone):
    return stack.api(auth="keystone")


def error_of(answer):
    status, body, _ = answer
    return status, body["error"]["message"]


def test_put_is_create_or_replace_and_idempotent(url, stack):
    for _ in range(2):
        status, body, _ = request(url, "PUT", GROUP_PATH, GROUP)
        assert (status, body) == (200, GROUP)
    assert request(url, "GET", GROUP_PATH)[:2] == (200, GROUP)
    changed = dict(GROUP, recovery_time=30, group_name=None)
    assert request(url, "PUT", GROUP_PATH, changed)[:2] == (200, changed)
    assert request(url, "GET", GROUP_PATH)[:2] == (200, changed)
    assert len(stack.client.environments.rows) == 1


def test_instance_round_trip_and_delete(url):
    assert request(url, "PUT", INSTANCE_PATH, INSTANCE)[:2] == (200, INSTANCE)
    assert request(url, "GET", INSTANCE_PATH)[:2] == (200, INSTANCE)
    status, body, response = request(url, "DELETE", INSTANCE_PATH)
    assert (status, body) == (200, {}), "Fenix answers 200; Tacker retries on anything else"
    status, message = error_of(request(url, "GET", INSTANCE_PATH))
    assert status == 404 and message == "no instance constraint vm-1"


def test_doctors_migration_type_migration_is_stored_as_migrate(url):
    doctor = dict(INSTANCE, migration_type="MIGRATION")
    assert request(url, "PUT", INSTANCE_PATH, doctor)[:2] == (200, dict(INSTANCE, migration_type="MIGRATE"))
    assert request(url, "GET", INSTANCE_PATH)[1]["migration_type"] == "MIGRATE"


def test_unknown_ids_are_404_on_get_and_delete(url):
    for method in ("GET", "DELETE"):
        for path in ("/v1/instance_group/nope", "/v1/instance/nope", "/v1/instance/a%0A",
                     "/v1/instance/a%2Fb"):
            status, body, _ = request(url, method, path)
            assert status == 404 and body["error"]["code"] == "not_found", (method, path)


def test_optional_fields_and_unknown_keys(url):
    body = {k: v for k, v in INSTANCE.items() if k not in ("group_id", "instance_name")}
    status, stored, _ = request(url, "PUT", INSTANCE_PATH, dict(body, colour="blue"))
    assert status == 200
    assert stored == dict(body, group_id=None, instance_name=None)


@pytest.mark.parametrize("change, message", [
    ({"recovery_time": None}, "recovery_time: None is not of type 'integer'"),
    ({"max_impacted_members": "one"}, "max_impacted_members: 'one' is not of type 'integer'"),
    ({"max_instances_per_host": -1}, "max_instances_per_host: -1 is less than the minimum of 0"),
    ({"recovery_time": 1.5}, "recovery_time must be a whole number, got 1.5"),
    ({"anti_affinity_group": "yes"}, "anti_affinity_group: 'yes' is not of type 'boolean'"),
    ({"project_id": "p 1"}, "project_id must be 1-128 letters, digits"),
    ({"group_id": "g2"}, "group_id in the body ('g2') differs from the one in the path ('g1')"),
])
def test_group_schema_errors_name_the_field(url, change, message):
    status, text = error_of(request(url, "PUT", GROUP_PATH, dict(GROUP, **change)))
    assert status == 400 and message in text


def test_missing_fields_are_named(url):
    body = {k: v for k, v in GROUP.items() if k != "max_impacted_members"}
    assert error_of(request(url, "PUT", GROUP_PATH, body)) == (
        400, "max_impacted_members is required")
    body = {k: v for k, v in INSTANCE.items() if k != "lead_time"}
    assert error_of(request(url, "PUT", INSTANCE_PATH, body)) == (400, "lead_time is required")


@pytest.mark.parametrize("change, message", [
    ({"migration_type": "EVICTION"},
     "migration_type must be one of MIGRATE, LIVE_MIGRATE, OWN_ACTION, MIGRATION, got 'EVICTION'"),
    ({"max_interruption_time": "1"}, "max_interruption_time: '1' is not of type 'integer'"),
    ({"group_id": 7}, "group_id must be 1-128 letters"),
    ({"instance_id": "vm-2"}, "instance_id in the body ('vm-2') differs"),
    ({"project_id": "p1\n"}, "project_id must not end with a line break"),
])
def test_instance_schema_errors_name_the_field(url, change, message):
    status, text = error_of(request(url, "PUT", INSTANCE_PATH, dict(INSTANCE, **change)))
    assert status == 400 and message in text


def test_instance_ids_that_would_look_like_a_group_are_refused(url):
    status, text = error_of(request(url, "PUT", "/v1/instance/group-g1",
                                    dict(INSTANCE, instance_id="group-g1")))
    assert status == 400 and "instance_id must not start with 'group-'" in text


def test_bodies_that_are_not_objects(url):
    assert error_of(request(url, "PUT", GROUP_PATH, raw=b"{oops"))[0] == 400
    assert "not JSON" in error_of(request(url, "PUT", GROUP_PATH, raw=b"{oops"))[1]
    assert error_of(request(url, "PUT", GROUP_PATH, [])) == (
        400, "body: [] is not of type 'object'")
    assert error_of(request(url, "PUT", GROUP_PATH, raw=b"")) == (
        400, "the body is empty: a constraint is a JSON object")


def test_methods_not_allowed(url):
    status, body, response = request(url, "POST", GROUP_PATH, GROUP)
    assert status == 405 and response.getheader("Allow") == "GET, PUT, DELETE"
    assert body["error"]["message"] == "POST is not allowed here; use GET, PUT or DELETE"
    status, body, response = request(url, "PUT", "/v1/instance_group", GROUP)
    assert status == 405 and response.getheader("Allow") == "GET"


def test_list_with_auth_none_shows_everything(url):
    request(url, "PUT", GROUP_PATH, GROUP)
    request(url, "PUT", "/v1/instance_group/g2", dict(GROUP, group_id="g2", project_id="p2"))
    request(url, "PUT", INSTANCE_PATH, INSTANCE)
    status, body, _ = request(url, "GET", "/v1/instance_group")
    assert status == 200 and [g["group_id"] for g in body["instance_groups"]] == ["g1", "g2"]
    assert request(url, "GET", "/v1/instance/")[:2] == (200, {"instances": [INSTANCE]})


def test_keystone_needs_a_token(keystone_url):
    for method, path, body in (("GET", GROUP_PATH, None), ("PUT", GROUP_PATH, GROUP),
                               ("DELETE", GROUP_PATH, None), ("GET", "/v1/instance", None)):
        status, answer, _ = request(keystone_url, method, path, body)
        assert status == 401 and answer["error"]["code"] == "unauthorized", (method, path)


def test_keystone_scopes_every_call_to_the_callers_project(keystone_url):
    status, text = error_of(request(keystone_url, "PUT", GROUP_PATH, GROUP, headers=P2))
    assert status == 403 and text == "project p2 may not act for project p1"
    assert request(keystone_url, "PUT", GROUP_PATH, GROUP, headers=P1)[:2] == (200, GROUP)
    assert request(keystone_url, "GET", GROUP_PATH, headers=P2)[0] == 403
    assert request(keystone_url, "DELETE", GROUP_PATH, headers=P2)[0] == 403
    hijack = dict(GROUP, project_id="p2")
    assert request(keystone_url, "PUT", GROUP_PATH, hijack, headers=P2)[0] == 403
    assert request(keystone_url, "GET", GROUP_PATH, headers=P1)[:2] == (200, GROUP)
    assert request(keystone_url, "GET", "/v1/instance_group/none", headers=P2)[0] == 404


def test_keystone_admin_acts_for_any_project_and_lists_all(keystone_url):
    assert request(keystone_url, "PUT", GROUP_PATH, GROUP, headers=ADMIN)[0] == 200
    other = dict(GROUP, group_id="g2", project_id="p2")
    assert request(keystone_url, "PUT", "/v1/instance_group/g2", other, headers=P2)[0] == 200
    status, body, _ = request(keystone_url, "GET", "/v1/instance_group", headers=ADMIN)
    assert [g["group_id"] for g in body["instance_groups"]] == ["g1", "g2"]
    status, body, _ = request(keystone_url, "GET", "/v1/instance_group", headers=P2)
    assert status == 200 and body == {"instance_groups": [other]}
    assert request(keystone_url, "DELETE", "/v1/instance_group/g2", headers=ADMIN)[0] == 200
    assert request(keystone_url, "GET", "/v1/instance_group/g2", headers=P2)[0] == 404


def test_constraints_survive_a_restart_of_the_api(stack):
    first = stack.api()
    request(first, "PUT", GROUP_PATH, GROUP)
    request(first, "PUT", INSTANCE_PATH, INSTANCE)
    stack.stop()
    second = stack.api()
    assert request(second, "GET", GROUP_PATH)[:2] == (200, GROUP)
    assert request(second, "GET", INSTANCE_PATH)[:2] == (200, INSTANCE)
    stored = MistralConstraintsStore(stack.client)
    assert stored.get_group("g1") == GROUP


def test_mistral_down_is_503(url, stack):
    stack.client.environments.down = True
    for method, path, body in (("GET", GROUP_PATH, None), ("PUT", GROUP_PATH, GROUP),
                               ("GET", "/v1/instance", None)):
        status, answer, _ = request(url, method, path, body)
        assert status == 503 and answer["error"]["code"] == "mistral_unavailable", (method, path)


def test_the_reply_api_is_still_there(url, stack):
    stack.client.ask()
    status, body, _ = request(url, "GET", "/v1/maintenance/s-1/p-1")
    assert status == 200 and "instance_ids" in body
