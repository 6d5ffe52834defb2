"""`connect()` from the OS_* environment, a clouds.yaml, or a Mistral context's token."""

import time

import pytest
import requests
import yaml
from mistral_lib.actions.context import ActionContext, SecurityContext

from contract_support import PROJECT_A
from rolling_maintenance import cloud

AUTH_KEYS = ("auth_url", "username", "password", "project_name", "user_domain_name",
             "project_domain_name")


def write_clouds_yaml(path, credentials, name="sim-admin"):
    entry = {"auth": {k: credentials[k] for k in AUTH_KEYS},
             "region_name": credentials["region_name"]}
    path.write_text(yaml.safe_dump({"clouds": {name: entry}}))
    return path


def issue_token(credentials):
    """A project-scoped token and its body, straight from the simulator's Keystone."""
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": credentials["username"], "password": credentials["password"],
            "domain": {"name": credentials["user_domain_name"]}}}},
        "scope": {"project": {"name": credentials["project_name"],
                              "domain": {"name": credentials["project_domain_name"]}}},
    }}
    url = credentials["auth_url"].rstrip("/")
    if not url.endswith("/v3"):
        url += "/v3"
    response = requests.post(url + "/auth/tokens", json=body, timeout=10)
    assert response.status_code == 201, response.text
    return response.headers["X-Subject-Token"], response.json()["token"]


def mistral_context(token, token_body, region_name, **security):
    """What Mistral hands an action when it runs behind Keystone."""
    return ActionContext(security_ctx=SecurityContext(
        auth_token=token, service_catalog=token_body,
        project_id=token_body["project"]["id"], project_name=token_body["project"]["name"],
        user_name=token_body["user"]["name"], region_name=region_name, **security))


def host_names(conn):
    return [h["name"] for h in cloud.list_compute_hosts(conn)]


def test_connect_from_os_environment(sim, monkeypatch, recorder):
    credentials = sim.admin_credentials()
    for key, value in credentials.items():
        monkeypatch.setenv("OS_" + key.upper(), value)
    conn = cloud.connect()
    assert host_names(conn) == ["compute-0", "compute-1", "compute-2"]
    token_request = recorder.one("POST", "/auth/tokens")
    assert token_request.json["auth"]["identity"]["methods"] == ["password"]
    user = token_request.json["auth"]["identity"]["password"]["user"]
    assert user["name"] == credentials["username"]


def test_connect_from_clouds_yaml_by_name_and_by_os_cloud(sim, monkeypatch, tmp_path):
    path = write_clouds_yaml(tmp_path / "clouds.yaml", sim.admin_credentials())
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    assert host_names(cloud.connect(cloud="sim-admin")) == ["compute-0", "compute-1", "compute-2"]
    monkeypatch.setenv("OS_CLOUD", "sim-admin")
    assert host_names(cloud.connect()) == ["compute-0", "compute-1", "compute-2"]


def test_connect_from_mistral_context_token(sim, recorder):
    credentials = sim.admin_credentials()
    token, body = issue_token(credentials)
    context = mistral_context(token, body, credentials["region_name"])
    recorder.clear()
    conn = cloud.connect(context)
    assert host_names(conn) == ["compute-0", "compute-1", "compute-2"]
    rescope = recorder.one("POST", "/auth/tokens")
    assert rescope.json["auth"]["identity"] == {"methods": ["token"], "token": {"id": token}}
    assert rescope.json["auth"]["scope"] == {"project": {"id": body["project"]["id"]}}
    assert cloud.connect(context) is conn


def test_trust_scoped_context_token_is_used_as_it_is(sim, recorder):
    """Keystone issues no token from a trust-scoped one: use it, and its catalog, unchanged."""
    credentials = sim.admin_credentials()
    token, body = issue_token(credentials)
    context = mistral_context(token, body, credentials["region_name"],
                              is_trust_scoped=True, trust_id="trust-1")
    recorder.clear()
    conn = cloud.connect(context)
    assert host_names(conn) == ["compute-0", "compute-1", "compute-2"]
    assert recorder.matching("POST", "/auth/tokens") == []
    services = recorder.one("GET", "/os-services")
    assert services.headers["X-Auth-Token"] == token
    assert cloud.connect(context) is conn


def test_context_token_acts_as_the_caller(sim):
    credentials = sim.project_credentials(PROJECT_A)
    token, body = issue_token(credentials)
    conn = cloud.connect(mistral_context(token, body, credentials["region_name"]))
    with pytest.raises(cloud.CloudError) as info:
        cloud.list_compute_hosts(conn)
    assert info.value.code == "forbidden"


def test_the_service_cloud_wins_over_the_callers_token(sim, monkeypatch, tmp_path, recorder):
    """`ROLLING_MAINTENANCE_CLOUD` where actions run: an admin's session goes on as
    the service identity, whatever becomes of the token that started it."""
    path = write_clouds_yaml(tmp_path / "clouds.yaml", sim.admin_credentials(), name="service")
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    monkeypatch.setenv("ROLLING_MAINTENANCE_CLOUD", "service")
    credentials = sim.admin_credentials()
    token, body = issue_token(credentials)
    context = mistral_context(token, body, credentials["region_name"])
    recorder.clear()
    assert host_names(cloud.connect(context)) == ["compute-0", "compute-1", "compute-2"]
    logins = recorder.matching("POST", "/auth/tokens")
    assert logins and all(r.json["auth"]["identity"]["methods"] == ["password"] for r in logins)
    assert all(r.headers.get("X-Auth-Token") != token for r in recorder.matching("GET", "/os-services"))


def test_a_members_session_does_not_act_as_the_service_cloud(sim, monkeypatch, tmp_path):
    path = write_clouds_yaml(tmp_path / "clouds.yaml", sim.admin_credentials(), name="service")
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    monkeypatch.setenv("ROLLING_MAINTENANCE_CLOUD", "service")
    credentials = sim.project_credentials(PROJECT_A)
    token, body = issue_token(credentials)
    with pytest.raises(cloud.CloudError) as info:
        cloud.connect(mistral_context(token, body, credentials["region_name"]))
    assert info.value.code == "forbidden"
    assert "only a caller with the admin role may run maintenance" in info.value.message


def test_context_without_token_uses_the_configuration(sim, monkeypatch):
    for key, value in sim.admin_credentials().items():
        monkeypatch.setenv("OS_" + key.upper(), value)
    context = ActionContext(security_ctx=SecurityContext(auth_token=None, project_id=None))
    assert host_names(cloud.connect(context)) == ["compute-0", "compute-1", "compute-2"]


def test_no_credentials_is_a_clear_error():
    with pytest.raises(cloud.CloudError) as info:
        cloud.connect()
    assert info.value.code == "no_credentials"
    assert "auth_url" in info.value.message and "OS_CLOUD" in info.value.message
    with pytest.raises(cloud.CloudError) as info:
        cloud.connect(cloud="nowhere")
    assert info.value.code == "no_credentials"
    assert "nowhere" in info.value.message


def test_connections_are_cached_per_credentials(sim, monkeypatch):
    credentials = sim.admin_credentials()
    first = cloud.connect(**credentials)
    assert cloud.connect(**credentials) is first
    assert cloud.connect(**dict(credentials, project_name=PROJECT_A)) is not first
    monkeypatch.setenv("OS_INTERFACE", "public")
    assert cloud.connect(**credentials) is not first
    cloud.clear_cache()
    monkeypatch.delenv("OS_INTERFACE")
    assert cloud.connect(**credentials) is not first


def test_unreachable_cloud_is_unavailable(monkeypatch):
    monkeypatch.setenv("OS_AUTH_URL", "http://127.0.0.1:9/v3")
    for key, value in (("USERNAME", "admin"), ("PASSWORD", "x"), ("PROJECT_NAME", "admin"),
                       ("USER_DOMAIN_NAME", "Default"), ("PROJECT_DOMAIN_NAME", "Default")):
        monkeypatch.setenv("OS_" + key, value)
    monkeypatch.setenv("ROLLING_MAINTENANCE_CLOUD_RETRY_S", "1")
    conn = cloud.connect(connect_retries=0)
    started = time.monotonic()
    with pytest.raises(cloud.CloudError) as info:
        cloud.list_compute_hosts(conn)
    assert info.value.code == "unavailable"
    assert 1 <= time.monotonic() - started < 5  # retried for the bound, then given up


def test_wrong_password_is_unauthorized(sim):
    conn = cloud.connect(**dict(sim.admin_credentials(), password="wrong"))
    with pytest.raises(cloud.CloudError) as info:
        cloud.list_compute_hosts(conn)
    assert info.value.code == "unauthorized"
    assert info.value.details["status"] == 401
