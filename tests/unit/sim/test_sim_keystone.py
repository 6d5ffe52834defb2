"""Keystone v3 as keystoneauth and openstacksdk use it."""

import openstack
import pytest


def test_version_discovery_documents(cloud):
    root = cloud.http("GET", "/identity")
    assert root.status_code == 300
    [v3] = root.json()["versions"]["values"]
    assert v3["id"].startswith("v3") and v3["links"][0]["href"] == cloud.url + "/identity/v3/"
    assert cloud.http("GET", "/identity/v3").json()["version"]["status"] == "stable"


def test_admin_password_auth_gives_a_project_token_with_catalog(cloud):
    access = cloud.admin.session.auth.get_access(cloud.admin.session)
    assert access.project_name == "admin" and "admin" in access.role_names
    assert access.username == "admin"
    types = {entry["type"]: entry for entry in access.service_catalog.catalog}
    assert set(types) == {"identity", "compute", "alarming", "placement"}
    compute_urls = {e["interface"]: e["url"] for e in types["compute"]["endpoints"]}
    assert compute_urls == {i: cloud.url + "/compute/v2.1" for i in ("public", "internal", "admin")}
    assert all(e["region"] == "RegionOne" for e in types["alarming"]["endpoints"])


def test_member_user_is_scoped_to_its_project(cloud):
    conn = cloud.member("p1")
    access = conn.session.auth.get_access(conn.session)
    assert (access.project_id, access.username, access.role_names) == ("p1", "demo1-user", ["member", "reader"])


def test_wrong_password_is_401(cloud):
    creds = dict(cloud.sim.admin_credentials(), password="wrong")
    with pytest.raises(openstack.exceptions.SDKException, match="HTTP 401"):
        openstack.connect(**creds).authorize()


def test_scope_to_a_project_without_role_is_401(cloud):
    creds = dict(cloud.sim.project_credentials("p1"), project_name="demo2")
    with pytest.raises(openstack.exceptions.SDKException, match="no access to project p2"):
        openstack.connect(**creds).authorize()


def test_v3token_auth_rescopes_an_existing_token(cloud):
    token = cloud.token()
    conn = openstack.connect(auth_type="v3token", auth_url=cloud.sim.auth_url, token=token,
                             project_name="admin", project_domain_name="Default")
    assert len(list(conn.compute.services())) == 5
    assert conn.session.get_token() != token


def test_token_validation_and_revocation(cloud):
    admin_token = cloud.token()
    member_token = cloud.token(cloud.member("p2"))
    checked = cloud.http("GET", "/identity/v3/auth/tokens", admin_token,
                         headers={"X-Subject-Token": member_token})
    assert checked.status_code == 200
    assert checked.json()["token"]["project"]["id"] == "p2"
    assert cloud.http("DELETE", "/identity/v3/auth/tokens", admin_token,
                      headers={"X-Subject-Token": member_token}).status_code == 204
    assert cloud.http("GET", "/compute/v2.1/servers", member_token).status_code == 401


def test_requests_without_a_valid_token_are_401_in_keystone_shape(cloud):
    for path in ("/compute/v2.1/servers", "/alarming/v2/alarms", "/identity/v3/projects"):
        answer = cloud.http("GET", path, token="not-a-token")
        assert answer.status_code == 401, path
        assert answer.json()["error"]["code"] == 401
        assert answer.headers["WWW-Authenticate"].startswith("Keystone uri=")
    assert cloud.http("GET", "/compute/v2.1/servers").status_code == 401


def test_projects_admin_lists_all_member_sees_its_own(cloud):
    names = {p.name for p in cloud.admin.identity.projects()}
    assert names == {"admin", "demo1", "demo2"}
    member_token = cloud.token(cloud.member("p1"))
    assert cloud.http("GET", "/identity/v3/projects", member_token).status_code == 403
    mine = cloud.http("GET", "/identity/v3/auth/projects", member_token).json()["projects"]
    assert [p["id"] for p in mine] == ["p1"]
