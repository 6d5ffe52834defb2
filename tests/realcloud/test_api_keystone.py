"""The API's keystone mode against the test bed's real Keystone 30.

keystonemiddleware's `auth_token` runs inside the API, configured from an
api.conf `[keystone_authtoken]` section as an operator writes it (the bed's
`maintenance` service user); callers are the bed's `admin`, `tenant-a` and
`tenant-b` users with tokens Keystone issued. The constraints live in the
API's memory store: what is judged here is who may do what, and what was
stored.
"""

import json

import pytest
import requests

from rolling_maintenance.api import ReplyAPI
from rolling_maintenance.api import keystone_auth
from rolling_maintenance.api.constraints_store import MemoryConstraintsStore


def api_conf(testbed, path):
    auth_url = json.loads(open(testbed.clouds_yaml).read())["clouds"]["admin"]["auth"]["auth_url"]
    path.write_text(f"""[keystone_authtoken]
www_authenticate_uri = {auth_url}
auth_type = password
auth_url = {auth_url}
username = maintenance
password = maintenance
project_name = service
user_domain_name = Default
project_domain_name = Default
""")
    return str(path)


def request(url, method, path, body=None, headers=None):
    """Status, JSON body (None when empty) and the response of one call."""
    response = requests.request(method, url + path, json=body, headers=headers or {},
                                timeout=30)
    return response.status_code, (response.json() if response.content else None), response


@pytest.fixture(scope="module")
def keystone_api(testbed, tmp_path_factory):
    conf = keystone_auth.load_config([api_conf(testbed, tmp_path_factory.mktemp("api") / "api.conf")])
    store = MemoryConstraintsStore()
    # No Mistral behind it: a call that passes auth and reaches Mistral answers 503.
    api = ReplyAPI("http://127.0.0.1:9/v2", auth="keystone", keystone_conf=conf,
                   constraints_store=store)
    api.start()
    yield api, store
    api.stop()


@pytest.fixture(scope="module")
def callers(testbed):
    """cloud name -> (project id, headers with a token Keystone issued to its user)."""
    found = {}
    for name in ("admin", "tenant-a", "tenant-b"):
        conn = testbed.connect(name)
        found[name] = (conn.current_project_id, {"X-Auth-Token": conn.session.get_token()})
    return found


def group(project_id, group_id):
    return {"group_id": group_id, "project_id": project_id, "group_name": "pair",
            "anti_affinity_group": True, "max_instances_per_host": 1, "max_impacted_members": 1,
            "recovery_time": 10, "resource_mitigation": False}


def test_no_token_and_forged_headers_are_401(keystone_api, callers):
    api, store = keystone_api
    project_a, _ = callers["tenant-a"]
    path = "/v1/instance_group/ks-forged"
    body = group(project_a, "ks-forged")
    assert request(api.url, "PUT", path, body)[0] == 401
    forged = {"X-Identity-Status": "Confirmed", "X-Project-Id": project_a, "X-Roles": "admin",
              "X-Tenant-Id": project_a, "X-User-Id": "someone"}
    status, answer, _ = request(api.url, "PUT", path, body, headers=forged)
    assert status == 401 and answer["error"]["code"] == "unauthorized"
    bad_token = dict(forged, **{"X-Auth-Token": "gAAAAABnot-a-keystone-token"})
    assert request(api.url, "PUT", path, body, headers=bad_token)[0] == 401
    assert request(api.url, "GET", "/v1/maintenance", headers=forged)[0] == 401
    assert store.get_group("ks-forged") is None


def test_a_member_acts_for_its_own_project_only(keystone_api, callers):
    api, store = keystone_api
    project_a, token_a = callers["tenant-a"]
    project_b, token_b = callers["tenant-b"]
    path = "/v1/instance_group/ks-a"
    assert request(api.url, "PUT", path, group(project_a, "ks-a"), headers=token_a)[0] == 200
    assert request(api.url, "GET", path, headers=token_a)[:2] == (200, group(project_a, "ks-a"))
    assert request(api.url, "GET", path, headers=token_b)[0] == 403
    assert request(api.url, "DELETE", path, headers=token_b)[0] == 403
    # b's valid token with a's identity in forged headers: auth_token sets b's again.
    forged = dict(token_b, **{"X-Project-Id": project_a, "X-Roles": "admin"})
    status, answer, _ = request(api.url, "PUT", path, group(project_a, "ks-a"), headers=forged)
    assert status == 403
    assert answer["error"]["message"] == f"project {project_b} may not act for project {project_a}"
    assert request(api.url, "PUT", "/v1/instance_group/ks-b-as-a", group(project_a, "ks-b-as-a"),
                   headers=token_b)[0] == 403
    assert store.get_group("ks-a") == group(project_a, "ks-a")
    assert store.get_group("ks-b-as-a") is None
    listed = request(api.url, "GET", "/v1/instance_group", headers=token_b)[1]
    assert [g["group_id"] for g in listed["instance_groups"]] == []


def test_an_admin_acts_for_any_project(keystone_api, callers):
    api, store = keystone_api
    project_a, _ = callers["tenant-a"]
    project_b, token_b = callers["tenant-b"]
    _, admin = callers["admin"]
    assert request(api.url, "PUT", "/v1/instance_group/ks-admin-b", group(project_b, "ks-admin-b"),
                   headers=admin)[0] == 200
    assert request(api.url, "PUT", "/v1/instance_group/ks-admin-a", group(project_a, "ks-admin-a"),
                   headers=admin)[0] == 200
    listed = request(api.url, "GET", "/v1/instance_group", headers=admin)[1]["instance_groups"]
    assert {"ks-admin-a", "ks-admin-b"} <= {g["group_id"] for g in listed}
    assert request(api.url, "GET", "/v1/instance_group/ks-admin-b", headers=token_b)[0] == 200
    assert request(api.url, "DELETE", "/v1/instance_group/ks-admin-a", headers=admin)[0] == 200
    assert store.get_group("ks-admin-a") is None


def test_the_admin_api_needs_the_admin_role(keystone_api, callers):
    api, _ = keystone_api
    _, token_a = callers["tenant-a"]
    _, admin = callers["admin"]
    status, answer, _ = request(api.url, "GET", "/v1/maintenance", headers=token_a)
    assert status == 403
    # The admin passes auth and reaches Mistral, which is not there.
    status, answer, _ = request(api.url, "GET", "/v1/maintenance", headers=admin)
    assert status == 503 and answer["error"]["code"] == "mistral_unavailable"


def test_a_revoked_token_is_refused(keystone_api, testbed):
    """Validated with Keystone: a token revoked before the API first sees it is refused."""
    api, _ = keystone_api
    token = testbed.connect("tenant-a").session.get_token()
    admin = testbed.connect("admin")
    revoked = admin.session.delete("/auth/tokens", endpoint_filter={"service_type": "identity"},
                                   headers={"X-Subject-Token": token})
    assert revoked.status_code == 204
    assert request(api.url, "GET", "/v1/instance_group", headers={"X-Auth-Token": token})[0] == 401
