"""Build a python-mistralclient v2 client: for an action, for a command line, for a service.

The embedded stack runs Mistral without Keystone: its URL is enough. On a
cloud the client authenticates with Keystone, and the URL may come from the
service catalog (service type workflowv2). An action's client rides through a
Mistral API that is restarting or overloaded (`cloud.retry`), and so does any
client on a cloud's Keystone session; the reply API's own client without auth
does not wait: the API answers 503 and its caller retries.
"""

import os

import requests
from keystoneauth1 import exceptions as ks_exceptions

from rolling_maintenance.cloud import retry
from rolling_maintenance.cloud.errors import CloudError

ACTION_URL_ENV = "ROLLING_MAINTENANCE_MISTRAL_URL"
WORKFLOW_SERVICE_TYPES = ("workflowv2", "workflow")


class NoMistral(ValueError):
    """Nothing says where Mistral is: the message names what to set."""


def _new(**kwargs):
    from mistralclient.api import client

    return client.client(**kwargs)


def _catalog_url(security):
    catalog = getattr(security, "service_catalog", None) or {}
    if isinstance(catalog, dict):
        catalog = catalog.get("catalog") or catalog.get("token", {}).get("catalog") or []
    for service in catalog:
        if service.get("type") in WORKFLOW_SERVICE_TYPES:
            for endpoint in service.get("endpoints", []):
                if endpoint.get("interface") in ("internal", "public"):
                    return endpoint["url"]
    return None


def _session_url(session):
    """Mistral's URL in the catalog of a keystoneauth1 session (else `NoMistral`)."""
    for service_type in WORKFLOW_SERVICE_TYPES:
        try:
            url = session.get_endpoint(service_type=service_type, interface="public")
        except ks_exceptions.CatalogException:
            url = None
        if url:
            return url
    raise NoMistral("no Mistral (workflowv2) in the cloud's catalog: give its URL")


def own_project_id(client):
    """The project a client acts in (from its Keystone session), or None without one."""
    http_client = getattr(getattr(client, "environments", None), "http_client", None)
    getter = getattr(getattr(http_client, "session", None), "get_project_id", None)
    return getter() if callable(getter) else None


def for_action(context=None):
    """A client for an action: as the service identity `ROLLING_MAINTENANCE_CLOUD`
    names when it is set (the identity the reply API uses, so both read and
    write the same Mistral project's records; its token never runs out),
    else as the action's caller (its token). The URL is
    `ROLLING_MAINTENANCE_MISTRAL_URL` (set by the embedded stack), else from
    the catalog; `CloudError("no_mistral")` when nothing says where."""
    from rolling_maintenance.cloud.connection import check_may_act_as_service, service_cloud

    if service_cloud():
        check_may_act_as_service(context)
        return for_service(os.environ.get(ACTION_URL_ENV), cloud=service_cloud())
    security = getattr(context, "security", None)
    url = os.environ.get(ACTION_URL_ENV) or _catalog_url(security)
    if not url:
        raise CloudError("no_mistral", "cannot find the Mistral API: set %s or run with Keystone"
                         % ACTION_URL_ENV)
    return _new(mistral_url=url, auth_token=getattr(security, "auth_token", None),
                session=retry.mount(requests.Session()))


def from_env(mistral_url=None, environ=None):
    """A client the way the `mistral` CLI makes one: `OS_MISTRAL_URL` (or
    `mistral_url`) without auth (the embedded stack), else Keystone from the
    `OS_*` variables."""
    env = os.environ if environ is None else environ
    url = mistral_url or env.get("OS_MISTRAL_URL")
    if not env.get("OS_AUTH_URL"):
        if not url:
            raise NoMistral("set OS_MISTRAL_URL (embedded Mistral) or the OS_* Keystone variables")
        return _new(mistral_url=url)
    return _new(
        mistral_url=url, auth_url=env["OS_AUTH_URL"], username=env.get("OS_USERNAME"),
        api_key=env.get("OS_PASSWORD"), project_name=env.get("OS_PROJECT_NAME"),
        user_domain_name=env.get("OS_USER_DOMAIN_NAME", "Default"),
        project_domain_name=env.get("OS_PROJECT_DOMAIN_NAME", "Default"))


def for_service(mistral_url=None, cloud=None, admin=False):
    """A service's client: the keystoneauth1 session of the clouds.yaml entry
    `cloud` (the URL may then come from the catalog), or no auth at
    `mistral_url`.

    Without auth (`[pecan] auth_enable = False`, as in the embedded stack and
    the tests) Mistral takes the caller's roles from the `X-Roles` header;
    `admin` claims the admin role, which registering the sample plug-ins'
    code source and dynamic actions needs (Mistral's policy: admin only).
    """
    if cloud:
        return for_cloud(cloud, mistral_url)
    if not mistral_url:
        raise NoMistral("give a Mistral URL (like http://127.0.0.1:8989/v2) or a cloud to find it in")
    if not admin:
        return _new(mistral_url=mistral_url)
    session = requests.Session()
    session.headers["X-Roles"] = "admin"
    return _new(mistral_url=mistral_url, session=session)


def for_cloud(cloud=None, mistral_url=None):
    """A client on the Keystone session of `cloud.connect(cloud=cloud)`: the
    clouds.yaml entry `cloud`, else the environment's (`OS_CLOUD`, `OS_*`),
    as the dry run reads that cloud; the URL is `mistral_url`, else the
    catalog's (`NoMistral` when it has none). Raises `CloudError` when the
    cloud's credentials do not work."""
    from rolling_maintenance.cloud.connection import connect

    session = connect(cloud=cloud).session
    return _new(mistral_url=mistral_url or _session_url(session), session=session)
