"""The VNFM's side of the reply API: read the instance list, PUT the answer.

A reply that fails for a passing reason (the API restarting, a 5xx, a broken
connection) is sent again a few seconds later, as Tacker does; a refusal
(4xx: malformed, not ours, not pending any more) is final, since the same
body would be refused again.
"""

import json
import logging
import time
import urllib.error
import urllib.request

from rolling_maintenance.vnfm import http_open

LOG = logging.getLogger(__name__)

RETRYABLE_STATUSES = (408, 429)


class ReplyApiError(Exception):
    """The reply API answered with an error, or could not be reached."""

    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.status = status
        self.body = body


def _decode(raw):
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw


class ReplyClient:
    """HTTP calls to the maintenance reply API, authenticated as the project.

    `token` is a callable returning the Keystone token to send (or None when
    the API runs without auth); `sleep` is injectable so tests need not wait.
    """

    def __init__(self, token=None, retries=5, retry_delay=3.0, timeout=10.0, sleep=time.sleep):
        if retries < 0:
            raise ValueError("retries must be >= 0, got %r" % (retries,))
        self.token = token
        self.retries = retries
        self.retry_delay = retry_delay
        self.timeout = timeout
        self.sleep = sleep

    def _headers(self):
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        token = self.token() if self.token else None
        if token:
            headers["X-Auth-Token"] = token
        return headers

    def _call(self, method, url, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method, headers=self._headers())
        try:
            with http_open.open_url(request, self.timeout) as response:
                return response.status, _decode(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, _decode(exc.read())

    def _with_retries(self, method, url, body=None):
        """`(status, answer, attempts)` of the last try; status None when unreachable."""
        attempt = 0
        while True:
            attempt += 1
            try:
                status, answer = self._call(method, url, body)
            except (urllib.error.URLError, OSError) as exc:
                status, answer = None, str(exc)
            final = status is not None and status < 500 and status not in RETRYABLE_STATUSES
            if final or attempt > self.retries:
                return status, answer, attempt
            LOG.info("%s %s failed (%s %s), retrying in %ss",
                     method, url, status, answer, self.retry_delay)
            self.sleep(self.retry_delay)

    def instance_ids(self, url):
        """The ids behind an `instance_ids` URL (`{"instance_ids": [...]}`)."""
        status, body, _ = self._with_retries("GET", url)
        if status != 200:
            raise ReplyApiError("GET %s answered %s: %s" % (url, status, body), status, body)
        if not isinstance(body, dict) or not isinstance(body.get("instance_ids"), list):
            raise ReplyApiError("GET %s did not return {\"instance_ids\": [...]}: %r" % (url, body),
                                status, body)
        return [str(item) for item in body["instance_ids"]]

    def put_reply(self, url, body):
        """PUT `body` to `url`; returns `{"status", "body", "attempts"}` of the last try.

        Retries on connection errors, 5xx, 408 and 429, at most `retries` times.
        """
        result = self.put(url, body)
        status, answer, attempts = result["status"], result["body"], result["attempts"]
        if status != 200:
            LOG.warning("reply %s to %s: %s %s after %d attempt(s)",
                        body.get("state"), url, status, answer, attempts)
        return result

    def put(self, url, body):
        """PUT the JSON `body` with the same retries; `{"status", "body", "attempts"}` of the last try."""
        status, answer, attempts = self._with_retries("PUT", url, body)
        return {"status": status, "body": answer, "attempts": attempts}
