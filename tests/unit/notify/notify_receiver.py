"""A loopback webhook receiver for the notification tests."""

import json
import threading

from rolling_maintenance.wsgi_server import BackgroundServer


def _headers(environ):
    """The request's headers, named the way HTTP spells them (`X-Openstack-Request-Id`)."""
    headers = {"Content-Type": environ.get("CONTENT_TYPE", "")}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers["-".join(part.capitalize() for part in key[5:].split("_"))] = value
    return headers


class Receiver:
    """A loopback HTTP server that records every POST; `/fail` answers 500, `/slow` stalls."""

    def __init__(self):
        self.posts = []
        self.release = threading.Event()
        self.server = BackgroundServer(self._app, name="notify-receiver")
        self.url = self.server.start()

    def _app(self, environ, start_response):
        path = environ["PATH_INFO"]
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        self.posts.append({"path": path, "headers": _headers(environ), "body": json.loads(body)})
        if path == "/slow":
            self.release.wait(5)
        start_response("500 Internal Server Error" if path == "/fail" else "200 OK",
                       [("Content-Length", "0")])
        return [b""]

    def stop(self):
        self.release.set()
        self.server.stop()
