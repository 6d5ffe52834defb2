"""One error type for everything the cloud can answer, so callers branch on a code.

Actions turn a `CloudError` into `Result(error=exc.to_dict())`; workflows and
admins then read a stable `code` instead of a client library's class name.
"""

import contextlib
import re
import urllib.parse

from aodhclient import exceptions as aodh_exc
from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc

from rolling_maintenance.cloud import retry

_CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
}


# How an endpoint URL tells its service: a path prefix (the usual deployment
# behind one web server) or the service's well-known port.
_SERVICE_BY_PATH = {"compute": "nova", "placement": "placement", "alarming": "aodh",
                    "metric": "aodh", "identity": "keystone", "workflow": "mistral",
                    "workflowv2": "mistral"}
_SERVICE_BY_PORT = {8774: "nova", 8778: "placement", 8042: "aodh", 5000: "keystone",
                    35357: "keystone", 8989: "mistral"}
_URL = re.compile(r"https?://[^\s]+?(?=[:,]?\s|$)")


def service_of(url):
    """`nova`, `placement`, `aodh`, `keystone`, `mistral`, or the URL's host:port."""
    parts = urllib.parse.urlsplit(url or "")
    for segment in parts.path.split("/"):
        if segment in _SERVICE_BY_PATH:
            return _SERVICE_BY_PATH[segment]
    try:
        port = parts.port
    except ValueError:
        port = None
    return _SERVICE_BY_PORT.get(port) or parts.netloc or "cloud"


def outage_message(method, url, status, message, seconds=None, service=None):
    """`nova: GET /compute/v2.1/os-services answered 503 for 180 s: <message>`; without
    `status`, the service was unreachable. `seconds`: how long it was retried;
    `service`: its name when the URL cannot tell (a client's relative one)."""
    seconds = retry.bound_s() if seconds is None else seconds
    what = ("answered %d" % status) if status else "unreachable"
    call = " ".join(p for p in ((method or "").upper(), urllib.parse.urlsplit(url or "").path) if p)
    text = "%s: %s %s" % (service or service_of(url), call, what)
    text += " for %g s" % seconds if seconds > 0 else ""
    return "%s: %s" % (text, message) if message else text


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
        return _http_error(exc.status_code, exc.method, exc.url,
                           str(exc.details or exc.message or exc), details)
    if isinstance(exc, aodh_exc.ClientException):
        status = exc.http_status if isinstance(exc.http_status, int) else None
        return _http_error(status, exc.method, exc.url, exc.message, details, service="aodh")
    if isinstance(exc, ks_exc.HttpError):
        return _http_error(exc.http_status, exc.method, exc.url, exc.message or str(exc), details)
    if isinstance(exc, ks_exc.MissingRequiredOptions):
        names = sorted(opt.dest for opt in exc.options)
        return CloudError("no_credentials",
                          f"cloud credentials are incomplete: missing {', '.join(names)}",
                          {"missing": names, **details})
    if isinstance(exc, ks_exc.ConnectionError):
        url = _URL.search(str(exc))
        url = url.group(0) if url else None
        return CloudError("unavailable", outage_message(None, url, None, str(exc)),
                          {"status": None, "url": url, **details})
    if isinstance(exc, (ks_exc.DiscoveryFailure, ks_exc.EndpointNotFound,
                        sdk_exc.EndpointNotFound)):
        return CloudError("unavailable", str(exc), details)
    if isinstance(exc, sdk_exc.ResourceTimeout):
        return CloudError("timeout", str(exc), details)
    if isinstance(exc, sdk_exc.ConfigException):
        return CloudError("no_credentials", str(exc), details)
    if isinstance(exc, sdk_exc.SDKException):
        return CloudError("cloud_error", str(exc), details)
    return None


def _http_error(status, method, url, message, details, service=None):
    """A `CloudError` for an HTTP answer; one retried for the whole bound says so."""
    info = {"status": status, "url": url, "method": method, **details}
    if isinstance(status, int) and retry.is_retried(method, status):
        message = outage_message(method, url, status, message, service=service)
    return CloudError(code_for_status(status), message, info)


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
