"""The reply API as a WSGI application: routing, JSON in and out, errors as JSON.

Endpoints (Fenix-compatible):
- `GET /v1/maintenance/{session_id}/{project_id}` -> `{"instance_ids": [...], ...}`
- `PUT /v1/maintenance/{session_id}/{project_id}` with the reply body
- `GET /` -> the API versions (a cheap readiness check)
- `GET /v1/openapi.json` -> the API's OpenAPI description (`openapi`)
- `/v1/instance_group[/{group_id}]` and `/v1/instance[/{instance_id}]`: the
  tenant constraints (see `constraints_service`), when the app has them
- `/v1/maintenance[/{session_id}[/detail]]`: Fenix's admin API (see
  `admin_service`), when the app has it
"""

import http
import json
import logging
import urllib.parse

from rolling_maintenance import wsgi_server
from rolling_maintenance.api import admin_service
from rolling_maintenance.api import auth
from rolling_maintenance.api import body as request_body
from rolling_maintenance.api import errors
from rolling_maintenance.api import openapi
from rolling_maintenance.mistral.errors import MISTRAL_ERRORS

LOG = logging.getLogger(__name__)
PREFIX = ("v1", "maintenance")
CONSTRAINT_KINDS = {"instance_group": "group", "instance": "instance"}
VERSIONS = {"versions": [{"id": "v1", "status": "CURRENT"}]}


def _respond(start_response, status, body, extra_headers=()):
    phrase = http.HTTPStatus(status).phrase
    if body is None:
        start_response("%d %s" % (status, phrase), [("Content-Length", "0")] + list(extra_headers))
        return [b""]
    data = json.dumps(body).encode("utf-8")
    start_response("%d %s" % (status, phrase),
                   [("Content-Type", "application/json"),
                    ("Content-Length", str(len(data)))] + list(extra_headers))
    return [data]


def _not_allowed(start_response, method, allowed):
    choices = allowed[0] if len(allowed) == 1 else "%s or %s" % (", ".join(allowed[:-1]),
                                                                  allowed[-1])
    return _respond(start_response, 405, errors.ApiError(
        405, "method_not_allowed", "%s is not allowed here; use %s" % (method, choices)).body(),
        [("Allow", ", ".join(allowed))])


def _route(path):
    """`(session_id, project_id)` for a maintenance path, else None."""
    parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/")]
    if len(parts) == 4 and tuple(parts[:2]) == PREFIX and all(parts[2:]):
        return parts[2], parts[3]
    return None


def _constraint_route(path):
    """`(kind, item_id or None)` for a constraints path, else None."""
    parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/")]
    if len(parts) in (2, 3) and parts[0] == "v1" and parts[1] in CONSTRAINT_KINDS \
            and all(parts[2:]):
        return CONSTRAINT_KINDS[parts[1]], (parts[2] if len(parts) == 3 else None)
    return None


class ReplyApp:
    """WSGI callable over a `ReplyService`, with the `auth` mode of `auth.MODES`.

    `constraints` (a `constraints_service.ConstraintsService`) adds the
    constraints endpoints. `limits` (the server's `wsgi_server.Limits`) are
    stated in the OpenAPI description.
    """

    def __init__(self, service, auth_mode="none", constraints=None, limits=None, admin=None):
        self.service = service
        self.auth_mode = auth.check_mode(auth_mode)
        self.constraints = constraints
        self.admin = admin
        self.description = openapi.document(limits or wsgi_server.Limits(),
                                            with_constraints=constraints is not None,
                                            with_admin=admin is not None)

    def _admin(self, environ, start_response, method, session_id, detail):
        allowed = self.admin.allowed_methods(session_id, detail)
        if method not in allowed:
            return _not_allowed(start_response, method, allowed)

        def read_body():
            if method == "PUT" and (environ.get("CONTENT_LENGTH") or "0").strip() == "0":
                return b""
            return request_body.read(environ, "a maintenance session is a JSON object")
        status, body = self.admin.handle(method, session_id, detail, environ, read_body)
        return _respond(start_response, status, body)

    def _constraint(self, environ, start_response, method, kind, item_id):
        if item_id is None:
            if method != "GET":
                return _not_allowed(start_response, method, ("GET",))
            return _respond(start_response, 200, self.constraints.list(kind, environ))
        if method == "GET":
            return _respond(start_response, 200, self.constraints.get(kind, item_id, environ))
        if method == "PUT":
            body = request_body.read(environ, "a constraint is a JSON object")
            return _respond(start_response, 200,
                            self.constraints.put(kind, item_id, body, environ))
        if method == "DELETE":
            self.constraints.delete(kind, item_id, environ)
            # 200 as Fenix answers: Tacker retries a DELETE until it reads 200.
            return _respond(start_response, 200, {})
        return _not_allowed(start_response, method, ("GET", "PUT", "DELETE"))

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        try:
            if path.strip("/") == "" and method == "GET":
                return _respond(start_response, 200, VERSIONS)
            if path == openapi.PATH and method == "GET":
                return _respond(start_response, 200, self.description)
            constraint = _constraint_route(path) if self.constraints is not None else None
            if constraint is not None:
                return self._constraint(environ, start_response, method, *constraint)
            admin = admin_service.route(path) if self.admin is not None else None
            if admin is not None:
                return self._admin(environ, start_response, method, *admin)
            route = _route(path)
            if route is None:
                raise errors.not_found("no such resource: %s (expected "
                                       "/v1/maintenance/<session_id>/<project_id>)" % path)
            session_id, project_id = route
            if method not in ("GET", "PUT"):
                return _not_allowed(start_response, method, ("GET", "PUT"))
            auth.authorize(self.auth_mode, environ, project_id)
            if method == "GET":
                return _respond(start_response, 200,
                                self.service.instances(session_id, project_id))
            body = request_body.read(environ, "a reply is a JSON object with a state")
            return _respond(start_response, 200,
                            self.service.reply(session_id, project_id, body))
        except errors.ApiError as exc:
            return _respond(start_response, exc.status, exc.body())
        except MISTRAL_ERRORS as exc:
            LOG.error("Mistral is unavailable: %s", exc)
            return _respond(start_response, 503, errors.ApiError(
                503, "mistral_unavailable", "Mistral did not answer: %s" % exc).body())
        except Exception:
            LOG.exception("Bug while answering %s %s", method, path)
            return _respond(start_response, 500, errors.ApiError(
                500, "internal_error", "internal error; see the reply API's log").body())
