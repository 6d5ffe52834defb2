"""Map (method, path) to a handler, with `{name}` path parameters."""

import re

from rolling_maintenance.sim import errors


class MethodNotAllowed(errors.SimError):
    status = 405


class Router:
    def __init__(self):
        self._routes = []

    def add(self, method, pattern, handler):
        regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$"
        self._routes.append((method, re.compile(regex), handler))

    def match(self, method, path):
        allowed = False
        for route_method, regex, handler in self._routes:
            found = regex.match(path)
            if found is None:
                continue
            if route_method == method or (method == "HEAD" and route_method == "GET"):
                return handler, found.groupdict()
            allowed = True
        if allowed:
            raise MethodNotAllowed("The method %s is not allowed for %s" % (method, path))
        raise errors.NotFound("The resource could not be found: %s" % path)
