"""The WSGI application: dispatch by prefix to the Keystone, Nova, Aodh,
Placement and control fronts, with the model locked and brought up to date per request.

Bad input is the caller's problem (4xx in the service's error shape); an
unexpected exception is the simulator's bug: it is logged and answered 500
with its message, never a dropped connection.
"""

import http
import json
import logging

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.web import aodh, control, keystone, nova, placement
from rolling_maintenance.sim.web.request import Request, Response

LOG = logging.getLogger(__name__)


class RootFront:
    """GET / : where the services are, for a human with curl."""

    prefix = ""

    def handle(self, request):
        if request.path not in ("", "/"):
            raise errors.NotFound("No service at %s" % request.path)
        base = request.base_url
        return Response(200, {"identity": base + "/identity", "compute": base + "/compute",
                              "alarming": base + "/alarming", "placement": base + "/placement",
                              "control": base + "/_sim"})

    def error_response(self, request, exc):
        return Response(exc.status, {"error": {"code": exc.status, "message": exc.message}})


def _injected_error(status, path):
    error = errors.SimError("Injected error on %s (simulated fault)." % path)
    error.status = status
    return error


class SimApp:
    def __init__(self, model, base_url=""):
        self.model = model
        self.base_url = base_url
        self.control = control.ControlFront()
        self.fronts = [keystone.KeystoneFront(), nova.NovaFront(), aodh.AodhFront(),
                       placement.PlacementFront(), self.control]
        self.root = RootFront()

    def _front_for(self, path):
        for front in self.fronts:
            if path == front.prefix or path.startswith(front.prefix + "/"):
                return front
        return self.root

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "") or "/"
        front = self._front_for(path)
        request = None
        try:
            request = Request(environ, self.model, self.base_url)
            with self.model.lock:
                self.model.advance()
                until = (None if front is self.control
                         else self.model.unavailable_until(front.prefix.strip("/")))
                if until is not None:
                    raise errors.Unavailable("The service is unavailable (simulated outage until "
                                             "t=%.1f)." % until)
                status = self.model.take_api_error(path) if front is not self.control else None
                if status is not None:
                    raise _injected_error(status, path)
                response = front.handle(request)
        except errors.SimError as exc:
            response = self._error(front, request, environ, exc)
        except Exception as exc:  # a simulator bug: say so instead of dropping the connection
            LOG.exception("simulator error on %s %s", environ.get("REQUEST_METHOD"), path)
            bug = errors.SimError("Unexpected simulator error: %s: %s" % (type(exc).__name__, exc))
            response = self._error(front, request, environ, bug)
        return self._send(response, request, start_response)

    def _error(self, front, request, environ, exc):
        if request is None:
            return Response(exc.status, {"error": {"code": exc.status, "message": exc.message}})
        return front.error_response(request, exc)

    @staticmethod
    def _send(response, request, start_response):
        payload = b"" if response.body is None else json.dumps(response.body).encode("utf-8")
        headers = {"Content-Type": "application/json", "Content-Length": str(len(payload))}
        if request is not None:
            headers["X-Openstack-Request-Id"] = request.request_id
        headers.update(response.headers)
        if response.status in (204, 304):
            headers.pop("Content-Type", None)
        status = "%d %s" % (response.status, http.HTTPStatus(response.status).phrase)
        start_response(status, list(headers.items()))
        return [payload] if request is None or request.method != "HEAD" else [b""]
