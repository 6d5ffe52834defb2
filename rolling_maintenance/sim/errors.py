"""Errors raised by the simulated cloud's model.

They carry an HTTP status and a message; each API front (Nova, Aodh,
Keystone, control) renders them in its own JSON error shape.
"""


class SimError(Exception):
    status = 500

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class BadRequest(SimError):
    status = 400


class Unauthorized(SimError):
    status = 401


class Forbidden(SimError):
    status = 403


class NotFound(SimError):
    status = 404


class NotAcceptable(SimError):
    status = 406


class Conflict(SimError):
    status = 409


class Unavailable(SimError):
    status = 503
