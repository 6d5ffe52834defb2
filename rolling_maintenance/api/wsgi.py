"""The reply API as a WSGI application: routing, JSON in and out, errors as JSON.

Endpoints (Fenix-compatible):
- `GET /v1/maintenance/{session_id}/{project_id}` -> `{"instance_ids": [...], ...}`
- `PUT /v1/maintenance/{session_id}/{project_id}` with the reply body
- `GET /` -> the API versions (a cheap readiness check)
"""

import http
import json
import logging
import urllib.parse

from rolling_maintenance.api import asks
from rolling_maintenance.api import auth
from rolling_maintenance.api import errors

LOG = logging.getLogger(__name__)
MAX_BODY_BYTES = 1024 * 1024
PREFIX = ("v1", "maintenance")
VERSIONS = {"versions": [{"id": "v1", "status": "CURRENT"}]}


def _respond(start_response, status, body, extra_headers=()):
    data = json.dumps(body).encode("utf-8")
    phrase = http.HTTPStatus(status).phrase
    start_response("%d %s" % (status, phrase),
                   [("Content-Type", "application/json"),
                    ("Content-Length", str(len(data)))] + list(extra_headers))
    return [data]


def _read_body(environ):
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise errors.bad_request("Content-Length is not a number") from None
    if length > MAX_BODY_BYTES:
        raise errors.ApiError(413, "too_large", "the body is larger than %d bytes" % MAX_BODY_BYTES)
    if length <= 0:
        raise errors.bad_request("the body is empty: a reply is a JSON object with a state")
    return environ["wsgi.input"].read(length)


def _route(path):
    """`(session_id, project_id)` for a maintenance path, else None."""
    parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/")]
    if len(parts) == 4 and tuple(parts[:2]) == PREFIX and all(parts[2:]):
        return parts[2], parts[3]
    return None


class ReplyApp:
    """WSGI callable over a `ReplyService`, with the `auth` mode of `auth.MODES`."""

    def __init__(self, service, auth_mode="none"):
        self.service = service
        self.auth_mode = auth.check_mode(auth_mode)

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        try:
            if path.strip("/") == "" and method == "GET":
                return _respond(start_response, 200, VERSIONS)
            route = _route(path)
            if route is None:
                raise errors.not_found("no such resource: %s (expected "
                                       "/v1/maintenance/<session_id>/<project_id>)" % path)
            session_id, project_id = route
            if method not in ("GET", "PUT"):
                return _respond(start_response, 405, errors.ApiError(
                    405, "method_not_allowed", "%s is not allowed here; use GET or PUT"
                    % method).body(), [("Allow", "GET, PUT")])
            auth.authorize(self.auth_mode, environ, project_id)
            if method == "GET":
                return _respond(start_response, 200,
                                self.service.instances(session_id, project_id))
            body = _read_body(environ)
            return _respond(start_response, 200,
                            self.service.reply(session_id, project_id, body))
        except errors.ApiError as exc:
            return _respond(start_response, exc.status, exc.body())
        except asks.MISTRAL_ERRORS as exc:
            LOG.error("Mistral is unavailable: %s", exc)
            return _respond(start_response, 503, errors.ApiError(
                503, "mistral_unavailable", "Mistral did not answer: %s" % exc).body())
        except Exception:
            LOG.exception("Bug while answering %s %s", method, path)
            return _respond(start_response, 500, errors.ApiError(
                500, "internal_error", "internal error; see the reply API's log").body())
