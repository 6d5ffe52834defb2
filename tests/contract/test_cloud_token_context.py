"""Reading a Keystone token and its catalog out of a Mistral action context."""

import json

import pytest
from mistral_lib.actions.context import ActionContext, SecurityContext

from rolling_maintenance.cloud import CloudError
from rolling_maintenance.cloud import token_context

CATALOG = [
    {"type": "compute", "endpoints": [
        {"interface": "public", "region": "RegionOne", "url": "http://nova/v2.1"}]},
    {"type": "identity", "endpoints": [
        {"interface": "internal", "region": "RegionOne", "url": "http://keystone-int/v3"},
        {"interface": "public", "region": "RegionTwo", "region_id": "RegionTwo",
         "url": "http://keystone-two/v3"},
        {"interface": "public", "region": "RegionOne", "region_id": "RegionOne",
         "url": "http://keystone/v3"},
    ]},
]


def context(**security):
    return ActionContext(security_ctx=SecurityContext(**security))


@pytest.mark.parametrize("catalog", [
    {"catalog": CATALOG, "project": {"id": "p1"}},
    {"token": {"catalog": CATALOG}},
    CATALOG,
    json.dumps({"catalog": CATALOG}),
])
def test_catalog_from_every_shape_mistral_may_hand_over(catalog):
    assert token_context.catalog_of(catalog) == CATALOG


def test_catalog_errors_name_the_field():
    with pytest.raises(CloudError, match="service_catalog is not JSON"):
        token_context.catalog_of("{nope")
    with pytest.raises(CloudError, match="no catalog list"):
        token_context.catalog_of({"catalog": "x"})
    assert token_context.catalog_of(None) == []


def test_identity_endpoint_by_interface_and_region():
    assert token_context.identity_endpoint(CATALOG, "public", "RegionOne") == "http://keystone/v3"
    assert (token_context.identity_endpoint(CATALOG, "public", "RegionTwo")
            == "http://keystone-two/v3")
    assert token_context.identity_endpoint(CATALOG, "internal") == "http://keystone-int/v3"
    assert token_context.identity_endpoint(CATALOG, "admin") is None


def test_has_token():
    assert not token_context.has_token(None)
    assert not token_context.has_token(context(auth_token=None))
    assert not token_context.has_token(object())
    assert token_context.has_token(context(auth_token="tok"))


def test_token_auth_rescopes_the_token_to_the_context_project():
    ctx = context(auth_token="tok", project_id="p1", region_name="RegionOne",
                  service_catalog={"catalog": CATALOG}, auth_cacert="/etc/ca.pem")
    kwargs = token_context.token_auth(ctx)
    assert kwargs == {
        "auth_type": "token",
        "auth": {"auth_url": "http://keystone/v3", "token": "tok", "project_id": "p1"},
        "interface": "public",
        "region_name": "RegionOne",
        "cacert": "/etc/ca.pem",
    }


def test_token_auth_falls_back_to_auth_uri_and_fails_clearly():
    ctx = context(auth_token="tok", project_id="p1", auth_uri="http://ks/v3", service_catalog=[])
    assert token_context.token_auth(ctx)["auth"]["auth_url"] == "http://ks/v3"
    with pytest.raises(CloudError, match="no 'public' identity endpoint") as info:
        token_context.token_auth(context(auth_token="tok", project_id="p1", service_catalog=[]))
    assert info.value.code == "no_credentials"
    with pytest.raises(CloudError, match="no project_id"):
        token_context.token_auth(context(auth_token="tok", service_catalog={"catalog": CATALOG}))


def test_token_body_from_every_shape():
    body = {"catalog": CATALOG, "project": {"id": "p1"}, "expires_at": "2030-01-01T00:00:00Z"}
    assert token_context.token_body_of(body) is body
    assert token_context.token_body_of({"token": body}) is body
    assert token_context.token_body_of(CATALOG) == {"catalog": CATALOG}
    assert token_context.token_body_of(json.dumps(body)) == body
    with pytest.raises(CloudError, match="neither a token body nor a catalog"):
        token_context.token_body_of(42)


def test_trust_scoped():
    assert token_context.is_trust_scoped(context(auth_token="t", is_trust_scoped=True))
    assert token_context.is_trust_scoped(context(auth_token="t", trust_id="tr"))
    assert not token_context.is_trust_scoped(context(auth_token="t"))
    assert not token_context.is_trust_scoped(None)
