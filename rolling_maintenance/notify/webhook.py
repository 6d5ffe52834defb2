"""Deliver notifications the way Aodh's webhook notifier would, without Ceilometer.

For clouds without the Ceilometer -> Aodh event chain (and for the embedded
stack), this driver finds the event alarms that would fire and POSTs each of
their `alarm_actions` URLs the very body Aodh would, so a VNFM cannot tell the
difference.

Like Aodh's notifier, it posts apart from whoever raised the event: each POST
runs on a thread of its own, so a VNFM that handles the webhook slowly (Doctor
scales inside its handler) or answers an error never holds up or fails the
question; the reply window decides. A refused connection (a receiver
restarting) is tried again a few times; every failure is logged with the
alarm, the URL and the status.
"""

import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from rolling_maintenance.notify import alarm_match
from rolling_maintenance.notify import payloads

LOG = logging.getLogger(__name__)
WEBHOOK_SCHEMES = ("http", "https")


def post_json(url, body, timeout):
    """POST `body` as JSON; return the HTTP status (an error status raises HTTPError)."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json",
                 "X-OpenStack-Request-Id": "req-%s" % uuid.uuid4()})
    # Webhook receivers sit beside the cloud: never send them through a proxy.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=timeout) as response:
        response.read()
        return response.status


def refused(exc):
    """Whether `exc` is a refused connection: nobody listened, nothing was received."""
    reason = getattr(exc, "reason", exc)
    return isinstance(reason, ConnectionRefusedError)


def describe(exc):
    """A failed POST in a few words: `HTTP 500 Internal Server Error`, `URLError: ...`."""
    if isinstance(exc, urllib.error.HTTPError):
        return "HTTP %d %s" % (exc.code, exc.reason)
    return "%s: %s" % (type(exc).__name__, getattr(exc, "reason", None) or exc)


class Postman:
    """Posts on daemon threads, one per delivery, and remembers how each ended.

    `post(url, body, timeout)` returns a status or raises; `sleep` waits
    between tries of a refused connection. `wait_idle()` lets a caller (a
    test, a process about to exit) wait for the posts still under way.
    """

    def __init__(self, post=post_json, sleep=time.sleep):
        self.post = post
        self.sleep = sleep
        self.outcomes = []
        self._running = 0
        self._idle = threading.Condition()

    def deliver(self, url, body, owner, config):
        """Start posting `body` to `url` and return at once."""
        with self._idle:
            self._running += 1
        thread = threading.Thread(target=self._post, args=(url, body, owner, config),
                                  name="webhook-%s" % body["alarm_id"], daemon=True)
        thread.start()

    def _post(self, url, body, owner, config):
        outcome = {"alarm_id": body["alarm_id"], "project_id": owner, "url": url,
                   "message_id": body["reason_data"]["event"]["message_id"]}
        try:
            outcome.update(self._post_with_retries(url, body, config))
        finally:
            with self._idle:
                self.outcomes.append(outcome)
                self._running -= 1
                self._idle.notify_all()

    def _post_with_retries(self, url, body, config):
        delay = config.retry_delay_s
        for attempt in range(1, config.connect_retries + 2):
            try:
                status = self.post(url, body, config.timeout_s)
            except (OSError, ValueError) as exc:
                error = describe(exc)
                if refused(exc) and attempt <= config.connect_retries:
                    LOG.info("Alarm %s: %s refused the connection, trying again in %.1f s",
                             body["alarm_id"], url, delay)
                    self.sleep(delay)
                    delay *= 2
                    continue
                LOG.warning("Notifying alarm %s at %s failed (attempt %d): %s",
                            body["alarm_id"], url, attempt, error)
                return {"error": error, "attempts": attempt}
            LOG.info("Notified alarm %s at %s: HTTP %s", body["alarm_id"], url, status)
            return {"status": status, "attempts": attempt}
        raise AssertionError("unreachable")  # pragma: no cover

    def wait_idle(self, timeout):
        """True once no post is under way, False if some still are after `timeout` s."""
        with self._idle:
            return self._idle.wait_for(lambda: self._running == 0, timeout)


# The process's postman: a Mistral executor sends many questions, and the
# posts it started outlive the action that started them.
POSTMAN = Postman()


def cloud_alarms(config, context):
    """`(event_type) -> {project_id: [alarm, ...]}` read from Aodh through `cloud`."""
    from rolling_maintenance import cloud

    def subscriptions(event_type):
        conn = cloud.connect(context, cloud=config.cloud)
        return cloud.subscribed_projects(conn, event_type)
    return subscriptions


class WebhookDriver:
    """Hands Aodh-style webhook bodies for the subscribed alarms' action URLs to the postman.

    `subscriptions(event_type)` returns `{project_id: [alarm dict, ...]}`;
    `postman` posts them (the process's one unless given); `clock()` gives
    the event time.
    """

    name = "webhook"

    def __init__(self, config, subscriptions, postman=None, clock=time.time):
        self.config = config
        self.subscriptions = subscriptions
        self.postman = postman or POSTMAN
        self.clock = clock

    def send(self, event_type, payload, project_id=None, broadcast=False):
        """Fire `event_type` with `payload` at the alarms of `project_id`, or of every
        subscribed project when `broadcast` (admin events).

        Returns `{"driver", "event_type", "project_id", "message_id",
        "queued": [{"alarm_id", "project_id", "url"}], "delivered": [],
        "failed": [], "skipped": [{"alarm_id", "project_id", "reason"}]}`:
        the posts are under way when it returns; how they end is logged (and
        kept in the postman's `outcomes`).
        """
        subscribed = self.subscriptions(event_type)
        if not broadcast:
            subscribed = {project_id: subscribed.get(project_id, [])}
        message_id = str(uuid.uuid4())
        generated = self.clock()
        result = {"driver": self.name, "event_type": event_type, "project_id": project_id,
                  "message_id": message_id, "queued": [], "delivered": [], "failed": [],
                  "skipped": []}
        for owner in sorted(subscribed):
            for alarm in subscribed[owner]:
                body = payloads.aodh_webhook_body(
                    event_type, payload, alarm, message_id=message_id, generated=generated)
                reason = alarm_match.why_not_fired(alarm, body["reason_data"]["event"])
                if reason:
                    result["skipped"].append(
                        {"alarm_id": alarm.get("alarm_id"), "project_id": owner, "reason": reason})
                    continue
                for url in alarm.get("alarm_actions") or []:
                    self._queue(url, body, owner, result)
        return result

    def _queue(self, url, body, owner, result):
        entry = {"alarm_id": body["alarm_id"], "project_id": owner, "url": url}
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme not in WEBHOOK_SCHEMES:
            result["skipped"].append(
                dict(entry, reason="action scheme %r is not a webhook" % scheme))
            return
        self.postman.deliver(url, body, owner, self.config)
        result["queued"].append(entry)
