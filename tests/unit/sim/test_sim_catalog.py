"""The maintenance API in the simulator's catalog, found the way Fenix's clients find it.

Registered as on a real cloud (`openstack service create` / `endpoint
create`, here through openstacksdk), it is listed by keystoneclient's
`services.list()` / `endpoints.list()` (Doctor's VNFM) and in every new
token's catalog (Tacker's `session.get_endpoint(service_type='maintenance')`).
"""

import pytest
from keystoneclient.v3 import client as keystone_client

from rolling_maintenance.cloud import catalog
from rolling_maintenance.vnfm.tenant_cloud import TenantCloud

API = "http://127.0.0.1:12347"


def test_a_registered_api_is_listed_and_in_new_tokens(cloud):
    member = TenantCloud(cloud.member("p1").session)
    assert member.maintenance_url() is None, "nothing registers it by itself"
    registered = catalog.register_maintenance_api(cloud.admin, API)
    assert registered["endpoints"] == {i: API for i in ("public", "internal", "admin")}
    assert catalog.register_maintenance_api(cloud.admin, API) == registered, "idempotent"

    keystone = keystone_client.Client(session=cloud.admin.session, interface="public")
    [service] = [s for s in keystone.services.list() if s.type == "maintenance"]
    assert service.id == registered["service_id"] and service.name == "fenix"
    endpoints = keystone.endpoints.list(service=service.id)
    assert sorted((e.interface, e.url) for e in endpoints) == sorted(
        (i, API) for i in ("public", "internal", "admin"))
    assert {s.type for s in keystone.services.list()} == {
        "identity", "compute", "placement", "alarming", "maintenance"}

    fresh = TenantCloud(cloud.member("p1").session)
    assert fresh.maintenance_url() == API
    assert fresh.session.get_endpoint(service_type="maintenance", interface="public") == API

    moved = "http://127.0.0.1:23456"
    assert catalog.register_maintenance_api(cloud.admin, moved)["service_id"] == service.id
    assert sorted(e.url for e in keystone.endpoints.list(service=service.id)) == [moved] * 3
    assert TenantCloud(cloud.member("p1").session).maintenance_url() == moved


def test_only_an_admin_lists_or_registers(cloud):
    token = cloud.token(cloud.member("p1"))
    for method, path, body in (("GET", "/identity/v3/services", None),
                               ("GET", "/identity/v3/endpoints", None),
                               ("POST", "/identity/v3/services", {"service": {"type": "x"}})):
        assert cloud.http(method, path, token=token, json=body).status_code == 403


@pytest.mark.parametrize("body, words", [
    ({"endpoint": {"service_id": "nope", "interface": "public", "url": API}}, "nope"),
    ({"endpoint": {"service_id": "nope", "interface": "outside", "url": API}}, "interface"),
    ({"endpoint": {"service_id": "nope", "interface": "public", "url": "ftp://x"}}, "url"),
])
def test_bad_endpoints_are_400_and_add_nothing(cloud, body, words):
    token = cloud.token()
    before = cloud.http("GET", "/identity/v3/endpoints", token=token).json()["endpoints"]
    response = cloud.http("POST", "/identity/v3/endpoints", token=token, json=body)
    assert response.status_code == 400 and words in response.json()["error"]["message"]
    listed = cloud.http("GET", "/identity/v3/endpoints", token=token).json()["endpoints"]
    assert listed == before
