"""What the Keystone, Nova, Aodh and control fronts share: routing under a
prefix, token checks, and errors rendered in each service's own JSON shape."""

import contextlib
import http

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.web import request as req
from rolling_maintenance.sim.web import routing

AUTH_REQUIRED = "The request you have made requires authentication."


def keystone_error(status, message):
    """Keystone's error body, also what keystonemiddleware answers on 401."""
    return {"error": {"code": status, "title": http.HTTPStatus(status).phrase, "message": message}}


class Front:
    prefix = ""
    public_paths = ()  # paths under the prefix served without a token

    def __init__(self):
        self.router = routing.Router()
        self.add_routes(self.router)

    def add_routes(self, router):
        raise NotImplementedError

    def local_path(self, request):
        path = request.path[len(self.prefix):]
        return path.rstrip("/") if path not in ("", "/") else ""

    def handle(self, request):
        path = self.local_path(request)
        if path not in self.public_paths:
            self.authenticate(request)
        handler, params = self.router.match(request.method, path)
        request.params = params
        self.before(request)
        response = handler(request)
        self.after(request, response)
        return response

    def authenticate(self, request):
        token = request.model.validate_token(request.header("x-auth-token"))
        request.token = token
        request.actor = request.model.actor_for(token, request.request_id)

    def before(self, request):
        """Per-service request checks (Nova: the microversion)."""

    def after(self, request, response):
        """Per-service response headers."""

    def error_body(self, status, message):
        return keystone_error(status, message)

    def error_response(self, request, exc):
        status = exc.status
        headers = {}
        if status == 401 and request.actor is None:
            headers["WWW-Authenticate"] = 'Keystone uri="%s/identity"' % request.base_url
            body = keystone_error(401, exc.message)
        else:
            body = self.error_body(status, exc.message)
        response = req.Response(status, body, headers)
        with contextlib.suppress(errors.SimError):
            self.after(request, response)
        return response
