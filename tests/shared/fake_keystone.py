"""keystonemiddleware's `auth_token` without a Keystone: tokens that name their own identity.

The API's keystone mode runs the real `auth_token` (header stripping, 401s,
headers set from the token); only its call to Keystone to validate a token
(`AuthProtocol.fetch_token`) is answered here, the way keystonemiddleware's
own `fixture.AuthTokenFixture` does. A token made by `token(project, roles)`
is `fake-token:<project>:<roles>` and validates as a Keystone v3 token of
that project with those roles; any other token is invalid. Tests against a
real Keystone are in tests/realcloud.
"""

import datetime
import pathlib
import tempfile

from keystonemiddleware import auth_token
from keystonemiddleware.auth_token import _exceptions

from rolling_maintenance.api import keystone_auth

PREFIX = "fake-token:"
# A Keystone nobody listens on: nothing here may reach it.
CONFIG = """[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:9/v3
auth_type = password
auth_url = http://127.0.0.1:9/v3
username = maintenance
password = maintenance
project_name = service
user_domain_name = Default
project_domain_name = Default
"""


def token(project_id, roles="member"):
    return "%s%s:%s" % (PREFIX, project_id, roles)


def headers(project_id, roles="member"):
    """The headers of a caller with a valid token of `project_id` and `roles`."""
    return {"X-Auth-Token": token(project_id, roles)}


def fetch_token(_middleware, token_id, **_kwargs):
    if not token_id.startswith(PREFIX):
        raise _exceptions.InvalidToken()
    project_id, _, roles = token_id[len(PREFIX):].partition(":")
    expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    domain = {"id": "default", "name": "Default"}
    return {"token": {
        "methods": ["password"], "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%S.000000Z"),
        "user": {"id": "user-of-" + project_id, "name": "user-of-" + project_id,
                 "domain": domain},
        "project": {"id": project_id, "name": project_id, "domain": domain},
        "roles": [{"id": "role-" + name, "name": name}
                  for name in filter(None, roles.split(","))],
        "catalog": []}}


def install(monkeypatch):
    """Answer `auth_token`'s validations here for the rest of the test."""
    monkeypatch.setattr(auth_token.AuthProtocol, "fetch_token", fetch_token)


def config():
    """The API's keystone configuration, read the way `--config-file` reads it."""
    path = pathlib.Path(tempfile.mkdtemp(prefix="fake-keystone-")) / "api.conf"
    path.write_text(CONFIG)
    return keystone_auth.load_config([str(path)])
