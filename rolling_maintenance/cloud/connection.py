"""Open an openstacksdk connection for an action, cheaply and from the right credentials.

Order of preference:
0. the clouds.yaml entry named by `ROLLING_MAINTENANCE_CLOUD` where the
   actions run (the project's service identity): a session lasts hours and
   the token of whoever started it expires (1 h by default) or is revoked,
   while the service identity's session gets a new token whenever it needs
   one;
1. a Keystone token in the Mistral action context (Mistral behind Keystone):
   act as the caller. A token is re-scoped to the context's project, except
   a trust-scoped one, which Keystone will not issue tokens from: that one
   is used as it is;
2. a named cloud from clouds.yaml (`cloud=` or `OS_CLOUD`);
3. the `OS_*` environment.
Actions call this once per run, so connections are cached per process, keyed
by everything that selects the credentials. Every request of a connection
rides through short outages (`retry`: `ROLLING_MAINTENANCE_CLOUD_RETRY_S`).
"""

import collections
import functools
import json
import os
import threading

import openstack
from keystoneauth1 import session as ks_session

from rolling_maintenance.cloud import errors
from rolling_maintenance.cloud import retry
from rolling_maintenance.cloud import token_context
from rolling_maintenance.cloud.errors import CloudError

SERVICE_CLOUD_ENV = "ROLLING_MAINTENANCE_CLOUD"
ADMIN_ROLE = "admin"
_CACHE_SIZE = 32
_cache = collections.OrderedDict()
_lock = threading.Lock()


def connect(context=None, cloud=None, **overrides):
    """A `openstack.connection.Connection` for `context` or for the configured cloud.

    `overrides` are passed to `openstack.connect` (e.g. `region_name`,
    `interface`) and win over the configuration.
    Raises `CloudError("no_credentials")` when nothing is configured.
    """
    key, opener = _how_to_connect(context, cloud, overrides)
    key = (retry.bound_s(), key)
    with _lock:
        conn = _cache.get(key)
        if conn is not None:
            _cache.move_to_end(key)
            return conn
    conn = opener()
    with _lock:
        _cache[key] = conn
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return conn


def clear_cache():
    """Forget every cached connection (new credentials, or tests)."""
    with _lock:
        _cache.clear()


def _how_to_connect(context, cloud, overrides):
    """(cache key, function opening the connection) for these credentials."""
    overrides = dict(overrides)
    if not cloud and service_cloud():
        check_may_act_as_service(context)
        cloud = service_cloud()
    if not cloud and token_context.has_token(context):
        interface = overrides.pop("interface", "public")
        if token_context.is_trust_scoped(context):
            key = ("token-as-is", context.security.auth_token, interface, _freeze(overrides))
            return key, functools.partial(_open_token_as_is, context, interface, overrides)
        kwargs = token_context.token_auth(context, interface=interface)
        kwargs.update(overrides, load_yaml_config=False, load_envvars=False)
        return ("token", _freeze(kwargs)), functools.partial(_open, kwargs)
    kwargs = dict(overrides, cloud=cloud)
    env = {k: v for k, v in os.environ.items() if k.startswith("OS_")}
    return ("config", _freeze(kwargs), _freeze(env)), functools.partial(_open, kwargs)


def service_cloud():
    """The clouds.yaml entry actions act as (`ROLLING_MAINTENANCE_CLOUD`), or None."""
    return os.environ.get(SERVICE_CLOUD_ENV) or None


def check_may_act_as_service(context):
    """Only a caller with the `admin` role has its actions run as the service
    identity: a member who starts a session gets no more than its own rights.
    Without a token (Mistral without auth) every caller is trusted."""
    if token_context.has_token(context) and ADMIN_ROLE not in token_context.roles_of(context):
        raise CloudError("forbidden", "only a caller with the admin role may run maintenance "
                                      "(the actions act as the service identity %s)"
                         % service_cloud())


def _open(kwargs):
    try:
        with errors.translated(cloud=kwargs.get("cloud")):
            conn = openstack.connect(**kwargs)
            retry.mount(conn.session.session)
            return conn
    except CloudError as exc:
        if exc.code != "no_credentials":
            raise
        raise CloudError(
            "no_credentials",
            "no cloud credentials: run under Mistral with Keystone auth, or set OS_CLOUD "
            f"(with a clouds.yaml) or the OS_* variables ({exc.message})",
            exc.details) from exc


def _open_token_as_is(context, interface, overrides):
    plugin, kwargs = token_context.token_as_is(context, interface=interface)
    cacert = kwargs.pop("cacert", None)
    verify = (cacert or True) if kwargs.pop("verify", True) else False
    kwargs.update(overrides)
    session = ks_session.Session(auth=plugin, verify=verify)
    retry.mount(session.session)
    with errors.translated():
        return openstack.connection.Connection(session=session, **kwargs)


def _freeze(value):
    return json.dumps(value, sort_keys=True, default=str)
