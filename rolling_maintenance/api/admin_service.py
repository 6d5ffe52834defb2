"""Fenix's admin API on the reply API's service: start, watch, continue and cancel sessions.

- `POST /v1/maintenance` (Fenix's body, see `admin_schema`) -> 200 `{"session_id"}`:
  a new `maintenance.rolling` execution, the same one `mistral
  execution-create` makes;
- `GET /v1/maintenance` -> `{"sessions": [ids]}` (Fenix's code; its API
  reference names the key `session_id`, so both are given);
- `GET /v1/maintenance/{id}` -> `{"session_id", "state", ...}` (as
  `rolling-maintenance status` reads it);
- `GET /v1/maintenance/{id}/detail` -> hosts, projects and instances with their states;
- `PUT /v1/maintenance/{id}` continues a failed session (`rolling-maintenance continue`);
- `DELETE /v1/maintenance/{id}` cancels a session that is not done and gives
  its hosts back (the `maintenance.cancel` workflow); 200 `{}` on a done one.

Only an admin may call these (`auth` keystone: the `admin` role); 404 for an
unknown session. `GET /v1/maintenance/{session_id}/{project_id}` stays the
reply API's instance list.
"""

import logging
import urllib.parse

from rolling_maintenance import session_control, status
from rolling_maintenance.api import admin_schema, auth, errors
from rolling_maintenance.api import body as request_body
from rolling_maintenance.mistral import executions

LOG = logging.getLogger(__name__)
DETAIL = "detail"


def route(path):
    """`(session_id or None, "detail" or None)` for an admin path, else None."""
    # An empty segment (`/v1/maintenance/s-1/`) is another path, as for the reply API.
    parts = [urllib.parse.unquote(p) for p in path.removeprefix("/").split("/")]
    if parts[:2] != ["v1", "maintenance"] or not all(parts):
        return None
    if len(parts) == 2:
        return None, None
    if len(parts) == 3:
        return parts[2], None
    if len(parts) == 4 and parts[3] == DETAIL:
        return parts[2], DETAIL
    return None


class AdminService:
    """The admin endpoints over a python-mistralclient `client`, with the `auth` mode of `auth.MODES`."""

    def __init__(self, client, auth_mode="none"):
        self.client = client
        self.auth_mode = auth.check_mode(auth_mode)

    def allowed_methods(self, session_id, detail):
        if session_id is None:
            return ("GET", "POST")
        return ("GET",) if detail else ("GET", "PUT", "DELETE")

    def handle(self, method, session_id, detail, environ, read_body):
        """`(status, body)` of one admin request; raises `ApiError`."""
        _, is_admin = auth.identify(self.auth_mode, environ)
        if not is_admin:
            raise errors.ApiError(403, "forbidden", "the maintenance sessions are the admin's")
        if session_id is None:
            if method == "POST":
                return 200, self.create(read_body())
            return 200, self.list()
        self._session(session_id)
        if detail:
            return 200, status.session_detail(self.client, session_id)
        if method == "GET":
            return 200, status.session_progress(self.client, session_id)
        if method == "PUT":
            return 200, self.continue_session(session_id, read_body())
        return 200, self.cancel(session_id)

    def _session(self, session_id):
        execution = executions.session(self.client, session_id)
        if execution is None:
            raise errors.not_found("no maintenance session %s" % session_id)
        return execution

    def create(self, raw):
        session_id = executions.start_session(self.client, admin_schema.session_input_from(raw))
        LOG.info("Started maintenance session %s", session_id)
        return {"session_id": session_id}

    def list(self):
        ids = [e.id for e in executions.sessions(self.client)]
        return {"sessions": ids, "session_id": list(ids)}

    def continue_session(self, session_id, raw):
        body = request_body.parse_json(raw) if raw and raw.strip() else {}
        if not isinstance(body, dict) or body:
            raise errors.bad_request("not supported: %s (PUT continues the session as it is)"
                                     % (", ".join(sorted(body)) if isinstance(body, dict) else "body"))
        try:
            task = session_control.continue_session(self.client, session_id)
        except session_control.CannotContinue as exc:
            raise errors.conflict(str(exc)) from None
        return {"session_id": session_id, "continued_task": task}

    def cancel(self, session_id):
        execution = self._session(session_id)
        if execution.state not in (*executions.UNFINISHED, "ERROR"):
            return {}  # done or cancelled already: nothing to give back
        cancel_id = executions.start_cancel(self.client, session_id)
        LOG.info("Cancelling maintenance session %s (%s)", session_id, cancel_id)
        return {"session_id": session_id, "cancel_execution_id": cancel_id}
