"""A parsed HTTP request and the response a handler returns."""

import json
import uuid
from urllib.parse import parse_qs

from rolling_maintenance.sim import errors

MAX_BODY = 10 * 1024 * 1024


class Request:
    def __init__(self, environ, model, base_url):
        self.model = model
        self.base_url = base_url
        self.method = environ.get("REQUEST_METHOD", "GET").upper()
        self.path = environ.get("PATH_INFO", "") or "/"
        self.query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        self.headers = {key[5:].replace("_", "-").lower(): value
                        for key, value in environ.items() if key.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            self.headers["content-type"] = environ["CONTENT_TYPE"]
        self.request_id = "req-" + str(uuid.uuid4())
        self.params = {}
        self.actor = None
        self.token = None
        self.microversion = None
        self._raw = self._read(environ)

    @staticmethod
    def _read(environ):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise errors.BadRequest("Content-Length is not a number") from None
        if length > MAX_BODY:
            raise errors.BadRequest("request body larger than %d bytes" % MAX_BODY)
        return environ["wsgi.input"].read(length) if length > 0 else b""

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[-1] if values else default

    def args(self, name):
        return list(self.query.get(name, []))

    def has_body(self):
        return bool(self._raw.strip())

    def json(self):
        """The body as JSON; 400 when it is missing or malformed."""
        if not self._raw.strip():
            raise errors.BadRequest("The request body is empty; a JSON body is required.")
        try:
            return json.loads(self._raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise errors.BadRequest("Malformed request body: %s" % exc) from None

    def json_object(self, key=None):
        """The body as a JSON object, or its `key` member which must be an object."""
        body = self.json()
        if not isinstance(body, dict):
            raise errors.BadRequest("The request body must be a JSON object.")
        if key is None:
            return body
        if not isinstance(body.get(key), dict):
            raise errors.BadRequest("The request body must have an object under %r." % key)
        return body[key]


class Response:
    def __init__(self, status=200, body=None, headers=None):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
