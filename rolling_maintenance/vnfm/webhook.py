"""The HTTP endpoint Aodh (or the webhook driver) posts alarms to.

It answers at once and leaves the work to the VNFM's workers: Aodh's notifier
does not wait long for a webhook, and a VNFM that scales or switches over
takes a while before it replies through the reply API.
"""

import json
import logging

from rolling_maintenance.vnfm.traits import BadNotification, parse_notification

LOG = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024


def _respond(start_response, status, body):
    data = json.dumps(body).encode("utf-8")
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(data)))])
    return [data]


def make_app(on_notification):
    """A WSGI app that decodes each POSTed alarm and hands it to `on_notification(payload)`."""

    def app(environ, start_response):
        if environ["REQUEST_METHOD"] == "GET":
            return _respond(start_response, "200 OK", {"status": "ok"})
        if environ["REQUEST_METHOD"] != "POST":
            return _respond(start_response, "405 Method Not Allowed",
                            {"error": "only POST (alarm webhooks) and GET (health) are served"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            return _respond(start_response, "400 Bad Request",
                            {"error": "Content-Length must be between 0 and %d" % MAX_BODY})
        raw = environ["wsgi.input"].read(length)
        try:
            payload = parse_notification(json.loads(raw or b"null"))
        except ValueError as exc:
            reason = str(exc) if isinstance(exc, BadNotification) else "body is not JSON: %s" % exc
            LOG.warning("rejected webhook: %s", reason)
            return _respond(start_response, "400 Bad Request", {"error": reason})
        on_notification(payload)
        return _respond(start_response, "200 OK", {"accepted": payload["state"]})

    return app
