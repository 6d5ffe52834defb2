"""One error type for everything the cloud can answer, so callers branch on a code.

Actions turn a `CloudError` into `Result(error=exc.to_dict())`; workflows and
admins then read a stable `code` instead of a client library's class name.
"""

import contextlib

from aodhclient import exceptions as aodh_exc
from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc

_CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
}


class CloudError(Exception):
    """An expected failure of a cloud call: `code`, readable `message`, `details` dict."""

    def __init__(self, code, message, details=None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = dict(details or {})

    def to_dict(self):
        return {"code": self.code, "message": self.message, "details": dict(self.details)}


def code_for_status(status):
    """Map an HTTP status to an error code; every 5xx means the service is unwell."""
    if isinstance(status, int) and status >= 500:
        return "unavailable"
    return _CODE_BY_STATUS.get(status, "cloud_error")


def from_exception(exc, **details):
    """Translate an openstacksdk, keystoneauth or aodhclient exception, or return None."""
    if isinstance(exc, CloudError):
        return exc
    if isinstance(exc, sdk_exc.HttpException):
        status = exc.status_code
        info = {"status": status, "url": exc.url, "method": exc.method, **details}
        message = str(exc.details or exc.message or exc)
        return CloudError(code_for_status(status), message, info)
    if isinstance(exc, aodh_exc.ClientException):
        status = exc.http_status if isinstance(exc.http_status, int) else None
        info = {"status": status, "url": exc.url, "method": exc.method, **details}
        return CloudError(code_for_status(status), exc.message, info)
    if isinstance(exc, ks_exc.HttpError):
        info = {"status": exc.http_status, "url": exc.url, "method": exc.method, **details}
        return CloudError(code_for_status(exc.http_status), exc.message or str(exc), info)
    if isinstance(exc, ks_exc.MissingRequiredOptions):
        names = sorted(opt.dest for opt in exc.options)
        return CloudError("no_credentials",
                          f"cloud credentials are incomplete: missing {', '.join(names)}",
                          {"missing": names, **details})
    if isinstance(exc, (ks_exc.ConnectionError, ks_exc.DiscoveryFailure,
                        ks_exc.EndpointNotFound, sdk_exc.EndpointNotFound)):
        return CloudError("unavailable", str(exc), details)
    if isinstance(exc, sdk_exc.ResourceTimeout):
        return CloudError("timeout", str(exc), details)
    if isinstance(exc, sdk_exc.ConfigException):
        return CloudError("no_credentials", str(exc), details)
    if isinstance(exc, sdk_exc.SDKException):
        return CloudError("cloud_error", str(exc), details)
    return None


@contextlib.contextmanager
def translated(**details):
    """Re-raise client-library exceptions as `CloudError`, leaving real bugs alone."""
    try:
        yield
    except Exception as exc:
        error = from_exception(exc, **details)
        if error is None or error is exc:
            raise
        raise error from exc
