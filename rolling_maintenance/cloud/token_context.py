"""Read the caller's Keystone token out of a Mistral action context.

With Keystone in front of Mistral, `context.security` carries the caller's
token, project and the token body (catalog under `['catalog']`, roles under
`['roles']`). Without a service identity (`ROLLING_MAINTENANCE_CLOUD`, see
`connection`) actions talk to the cloud as that caller, against the identity
endpoint the token itself advertises, for as long as the token lives.
"""

import json

from keystoneauth1 import access
from keystoneauth1.identity import access as access_plugin

from rolling_maintenance.cloud.errors import CloudError


def security_of(context):
    """The `security` part of an action context, or None when there is none."""
    if context is None:
        return None
    return getattr(context, "security", None)


def has_token(context):
    security = security_of(context)
    return bool(security is not None and getattr(security, "auth_token", None))


def is_trust_scoped(context):
    security = security_of(context)
    return bool(getattr(security, "is_trust_scoped", None) or getattr(security, "trust_id", None))


def roles_of(context):
    """The role names of the caller's token (lower case), from the token body Mistral hands over."""
    security = security_of(context)
    body = token_body_of(getattr(security, "service_catalog", None))
    return {str(role.get("name", "")).lower() for role in body.get("roles") or []
            if isinstance(role, dict)}


def token_body_of(service_catalog):
    """The token body from what Mistral hands over: the body itself, `{"token": body}`,
    a bare catalog list, or the JSON text of any of them."""
    value = service_catalog
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise CloudError("no_credentials",
                             f"context.security.service_catalog is not JSON: {exc}") from exc
    if isinstance(value, dict) and isinstance(value.get("token"), dict):
        value = value["token"]
    if value is None or isinstance(value, list):
        value = {"catalog": value or []}
    if not isinstance(value, dict):
        raise CloudError("no_credentials",
                         "context.security.service_catalog is neither a token body nor a "
                         f"catalog (got {type(value).__name__})")
    return value


def catalog_of(service_catalog):
    """The list of catalog entries (see `token_body_of` for the accepted shapes)."""
    catalog = token_body_of(service_catalog).get("catalog")
    if catalog is None:
        return []
    if not isinstance(catalog, list):
        raise CloudError("no_credentials",
                         "context.security.service_catalog has no catalog list "
                         f"(got {type(catalog).__name__})")
    return catalog


def identity_endpoint(catalog, interface="public", region_name=None):
    """URL of the identity service in `catalog` for `interface`, preferring `region_name`."""
    candidates = []
    for entry in catalog:
        if not isinstance(entry, dict) or entry.get("type") != "identity":
            continue
        for endpoint in entry.get("endpoints") or []:
            if endpoint.get("interface") == interface and endpoint.get("url"):
                candidates.append(endpoint)
    if region_name:
        in_region = [e for e in candidates
                     if region_name in (e.get("region"), e.get("region_id"))]
        candidates = in_region or candidates
    return candidates[0]["url"] if candidates else None


def _auth_url(security, catalog, interface):
    region_name = getattr(security, "region_name", None)
    auth_url = identity_endpoint(catalog, interface, region_name) or getattr(
        security, "auth_uri", None)
    if not auth_url:
        raise CloudError("no_credentials",
                         f"no '{interface}' identity endpoint in the token's catalog "
                         "and no context.security.auth_uri",
                         {"interface": interface, "region_name": region_name})
    return auth_url


def _transport(security, interface):
    kwargs = {"interface": interface}
    if getattr(security, "region_name", None):
        kwargs["region_name"] = security.region_name
    if getattr(security, "auth_cacert", None):
        kwargs["cacert"] = security.auth_cacert
    if getattr(security, "insecure", None):
        kwargs["verify"] = False
    return kwargs


def token_auth(context, interface="public"):
    """Keyword arguments for `openstack.connect` that re-scope the context's token.

    The generic `token` plugin discovers the identity version itself, so both
    versioned (`.../v3`) and unversioned catalog URLs work.
    """
    security = security_of(context)
    project_id = getattr(security, "project_id", None)
    if not project_id:
        raise CloudError("no_credentials",
                         "context.security has an auth_token but no project_id to scope it to")
    catalog = catalog_of(getattr(security, "service_catalog", None))
    kwargs = {
        "auth_type": "token",
        "auth": {"auth_url": _auth_url(security, catalog, interface),
                 "token": security.auth_token, "project_id": project_id},
    }
    kwargs.update(_transport(security, interface))
    return kwargs


def token_as_is(context, interface="public"):
    """(keystoneauth plugin, connection kwargs) that use the context's token unchanged.

    For trust-scoped tokens: Keystone refuses to issue a token from one, so
    the token is used as Mistral handed it over, with the catalog of its body.
    """
    security = security_of(context)
    body = token_body_of(getattr(security, "service_catalog", None))
    catalog = catalog_of(body)
    auth_ref = access.create(body={"token": body}, auth_token=security.auth_token)
    plugin = access_plugin.AccessInfoPlugin(
        auth_ref, auth_url=_auth_url(security, catalog, interface))
    return plugin, _transport(security, interface)
