"""Riding through a cloud API's short outage: retry what is safe to retry, for a bounded time.

A session runs for hours; a Nova, Placement, Aodh, Keystone or Mistral API that
answers 503 or refuses connections for a minute must not fail it. Every
request of a connection (`cloud.connect`) and of a Mistral client
(`mistral.client`) goes through urllib3's own retry machinery (`Retry`, mounted
on the requests session under keystoneauth or python-mistralclient), bounded
in time instead of in count:

- a refused or failed connection is retried for every method: the request
  never reached the service;
- 503 and 429 are retried for every method: the service says it did nothing;
- 502, 504 and a read timeout are retried only for GET, HEAD, PUT, DELETE and
  OPTIONS: a POST may have been carried out behind a gateway that timed out,
  so the caller checks the cloud before it starts that change again (the
  actions are idempotent: they look before they act).

keystoneauth's own `status_code_retries`/`connect_retries` (what openstacksdk's
options set) do not fit: they are counts, they retry the listed statuses and
any timeout for every method alike (a POST answered 504 would be sent again),
and Keystone's own token requests get no status retries.

Backoff doubles from 0.5 s up to `MAX_BACKOFF_S`; a `Retry-After` is obeyed up
to the time left. After `bound_s()` seconds of failures the last answer is
handed to the client as it came (its status, its URL), and `errors` names the
service, the call, the status and the time tried.
"""

import os
import time

from keystoneauth1 import session as ks_session
from urllib3.util import retry as urllib3_retry

BOUND_ENV = "ROLLING_MAINTENANCE_CLOUD_RETRY_S"
DEFAULT_BOUND_S = 180
MAX_BACKOFF_S = 10
ANY_METHOD_STATUSES = frozenset((429, 503))
SAFE_METHOD_STATUSES = frozenset((502, 504))
SAFE_METHODS = frozenset(("GET", "HEAD", "PUT", "DELETE", "OPTIONS"))


def bound_s(environ=None):
    """Seconds a failing call is retried: `ROLLING_MAINTENANCE_CLOUD_RETRY_S`, else 180."""
    value = (os.environ if environ is None else environ).get(BOUND_ENV, "").strip()
    if not value:
        return DEFAULT_BOUND_S
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError("%s must be a number of seconds, got %r" % (BOUND_ENV, value)) from None
    if not 0 <= seconds <= 86400:
        raise ValueError("%s must be 0-86400 seconds, got %r" % (BOUND_ENV, value))
    return seconds


def is_retried(method, status):
    """Whether an answer `status` to `method` is retried (and so lasted the whole bound)."""
    return status in ANY_METHOD_STATUSES or (
        status in SAFE_METHOD_STATUSES and (method or "").upper() in SAFE_METHODS)


class BoundedRetry(urllib3_retry.Retry):
    """urllib3's `Retry`, exhausted after `bound` seconds since the first failure, not a count."""

    def __init__(self, bound=DEFAULT_BOUND_S, started=None, **kwargs):
        kwargs.setdefault("total", None)
        kwargs.setdefault("allowed_methods", SAFE_METHODS)
        kwargs.setdefault("status_forcelist", ANY_METHOD_STATUSES | SAFE_METHOD_STATUSES)
        kwargs.setdefault("backoff_factor", 0.5)
        kwargs.setdefault("backoff_max", MAX_BACKOFF_S)
        kwargs.setdefault("raise_on_status", False)
        kwargs.setdefault("redirect", False)
        super().__init__(**kwargs)
        self.bound = bound
        self.started = started

    def new(self, **kw):
        renewed = super().new(**kw)
        renewed.bound = self.bound
        renewed.started = time.monotonic() if self.started is None else self.started
        return renewed

    def _left(self):
        return self.bound - (time.monotonic() - self.started) if self.started is not None \
            else self.bound

    def is_exhausted(self):
        return self._left() <= 0 or super().is_exhausted()

    def is_retry(self, method, status_code, has_retry_after=False):
        return self.bound > 0 and is_retried(method, status_code)

    def get_retry_after(self, response):
        seconds = super().get_retry_after(response)
        return None if seconds is None else max(0.0, min(seconds, self._left()))

    def get_backoff_time(self):
        return max(0.0, min(super().get_backoff_time(), self._left()))


def mount(requests_session, bound=None):
    """Retry every request of a `requests.Session` for `bound` seconds (default `bound_s()`).

    keystoneauth's TCP keep-alive adapter is kept; only its retries change.
    """
    seconds = bound_s() if bound is None else bound
    adapter = ks_session.TCPKeepAliveAdapter(max_retries=BoundedRetry(bound=seconds))
    for prefix in ("http://", "https://"):
        requests_session.mount(prefix, adapter)
    requests_session.cloud_retry_s = seconds
    return requests_session
