"""The maintenance side, played by the tests: a tiny reply API and webhook posts.

It serves `GET /v1/maintenance/<session>/<project>` with the instance list the
test sets, records every `PUT` reply, and can answer a scripted series of
statuses (503, 503, 200...) to exercise the VNFM's retries.
"""

import json
import threading
import urllib.error
import urllib.request

from rolling_maintenance.notify import payloads
from rolling_maintenance.wsgi_server import BackgroundServer


class FakeMaintenance:
    def __init__(self):
        self.instance_ids = {}
        self.replies = []
        self.gets = []
        self.put_statuses = []
        self._lock = threading.Lock()
        self._server = BackgroundServer(self._app, name="fake-maintenance")

    @property
    def api_url(self):
        return self._server.url

    def start(self):
        self._server.start()
        return self

    def stop(self):
        self._server.stop()

    def _app(self, environ, start_response):
        path = environ["PATH_INFO"].strip("/").split("/")
        method = environ["REQUEST_METHOD"]
        if len(path) != 4 or path[:2] != ["v1", "maintenance"]:
            return self._answer(start_response, 404, {"error": {"message": "no such path"}})
        session_id, project_id = path[2], path[3]
        if method == "GET":
            with self._lock:
                self.gets.append({"session_id": session_id, "project_id": project_id,
                                  "token": environ.get("HTTP_X_AUTH_TOKEN")})
                ids = self.instance_ids.get(session_id, [])
            return self._answer(start_response, 200, {"instance_ids": list(ids)})
        if method == "PUT":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length))
            with self._lock:
                status = self.put_statuses.pop(0) if self.put_statuses else 200
                self.replies.append({"session_id": session_id, "project_id": project_id,
                                     "body": body, "status": status,
                                     "token": environ.get("HTTP_X_AUTH_TOKEN")})
            if status == 200:
                return self._answer(start_response, 200, {})
            return self._answer(start_response, status, {"error": {"message": "scripted %d" % status}})
        return self._answer(start_response, 405, {"error": {"message": method}})

    @staticmethod
    def _answer(start_response, status, body):
        data = json.dumps(body).encode()
        reasons = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
                   409: "Conflict", 503: "Service Unavailable"}
        start_response("%d %s" % (status, reasons.get(status, "Status")),
                       [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def replies_for(self, session_id):
        with self._lock:
            return [reply["body"] for reply in self.replies if reply["session_id"] == session_id]

    def webhook_body(self, session_id, project_id, state, instance_id=None, metadata=None,
                     event_type=payloads.DEFAULT_EVENT_TYPE):
        """What Aodh would POST for this project event, traits as text."""
        payload = payloads.project_event(session_id, project_id, state, self.api_url,
                                         instance_ids=instance_id, metadata=metadata,
                                         reply_at="2026-11-22T10:00:00Z")
        alarm = {"alarm_id": "alarm-%s" % project_id, "name": "vnfm", "severity": "moderate",
                 "event_rule": {"event_type": event_type, "query": []}}
        return payloads.aodh_webhook_body(event_type, payload, alarm)

    def notify(self, vnfm_url, session_id, project_id, state, **kwargs):
        """POST the webhook to the VNFM; returns (status, answer)."""
        return post_json(vnfm_url, self.webhook_body(session_id, project_id, state, **kwargs))


def post_json(url, body):
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())
