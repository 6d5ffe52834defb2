"""Who may answer for a project: the thin layer between the HTTP request and the rules.

`none` (the embedded default, loopback only) trusts every caller. `keystone`
reads the identity headers keystonemiddleware's `auth_token`, run inside the
service (`keystone_auth`), sets from a validated token after dropping any a
client sent: a project may read and answer only its own questions, a user
with the `admin` role any project's.
The reply API itself talks to Mistral with its own service identity, which
needs the admin role to complete another project's action executions.
"""

from rolling_maintenance.api import errors

MODES = ("none", "keystone")
ADMIN_ROLE = "admin"


def check_mode(mode):
    if mode not in MODES:
        raise ValueError("auth must be one of %s, got %r" % (", ".join(MODES), mode))
    return mode


def identify(mode, environ):
    """`(project_id, is_admin)` of the caller; `(None, True)` when every caller is trusted.

    Raises a 401 `ApiError` when keystone mode finds no confirmed identity.
    """
    if mode == "none":
        return None, True
    status = environ.get("HTTP_X_IDENTITY_STATUS")
    service_status = environ.get("HTTP_X_SERVICE_IDENTITY_STATUS", "Confirmed")
    caller = environ.get("HTTP_X_PROJECT_ID")
    if status != "Confirmed" or service_status != "Confirmed" or not caller:
        raise errors.ApiError(401, "unauthorized", "a valid Keystone token is required")
    roles = {r.strip().lower() for r in environ.get("HTTP_X_ROLES", "").split(",")}
    return caller, ADMIN_ROLE in roles


def authorize(mode, environ, project_id):
    """Raise 401/403 `ApiError` unless the caller may act for `project_id`."""
    caller, is_admin = identify(mode, environ)
    if is_admin or caller == project_id:
        return
    raise errors.ApiError(403, "forbidden",
                          "project %s may not act for project %s" % (caller, project_id))
