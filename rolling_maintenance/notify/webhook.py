"""Deliver notifications the way Aodh's webhook notifier would, without Ceilometer.

For clouds without the Ceilometer -> Aodh event chain (and for the embedded
stack), this driver finds the event alarms that would fire and POSTs each of
their `alarm_actions` URLs the very body Aodh would, so a VNFM cannot tell the
difference. Like Aodh, it does not retry: a failed POST is logged and reported
in the result, never raised.
"""

import json
import logging
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


def cloud_alarms(config, context):
    """`(event_type) -> {project_id: [alarm, ...]}` read from Aodh through `cloud`."""
    from rolling_maintenance import cloud

    def subscriptions(event_type):
        conn = cloud.connect(context, cloud=config.cloud)
        return cloud.subscribed_projects(conn, event_type)
    return subscriptions


class WebhookDriver:
    """Posts Aodh-style webhook bodies to the subscribed alarms' action URLs.

    `subscriptions(event_type)` returns `{project_id: [alarm dict, ...]}`;
    `post(url, body, timeout)` returns a status; `clock()` gives the event time.
    """

    name = "webhook"

    def __init__(self, config, subscriptions, post=post_json, clock=time.time):
        self.config = config
        self.subscriptions = subscriptions
        self.post = post
        self.clock = clock

    def send(self, event_type, payload, project_id=None, broadcast=False):
        """Fire `event_type` with `payload` at the alarms of `project_id`, or of every
        subscribed project when `broadcast` (admin events).

        Returns `{"driver", "event_type", "project_id", "message_id",
        "delivered": [{"alarm_id", "project_id", "url", "status"}],
        "failed": [{"alarm_id", "project_id", "url", "error"}],
        "skipped": [{"alarm_id", "project_id", "reason"}]}`.
        """
        subscribed = self.subscriptions(event_type)
        if not broadcast:
            subscribed = {project_id: subscribed.get(project_id, [])}
        message_id = str(uuid.uuid4())
        generated = self.clock()
        result = {"driver": self.name, "event_type": event_type, "project_id": project_id,
                  "message_id": message_id, "delivered": [], "failed": [], "skipped": []}
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
                    self._deliver(url, body, owner, result)
        return result

    def _deliver(self, url, body, owner, result):
        entry = {"alarm_id": body["alarm_id"], "project_id": owner, "url": url}
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme not in WEBHOOK_SCHEMES:
            result["skipped"].append(
                dict(entry, reason="action scheme %r is not a webhook" % scheme))
            return
        try:
            status = self.post(url, body, self.config.timeout_s)
        except urllib.error.HTTPError as exc:
            error = "HTTP %d %s" % (exc.code, exc.reason)
        except (OSError, ValueError) as exc:
            error = "%s: %s" % (type(exc).__name__, getattr(exc, "reason", None) or exc)
        else:
            result["delivered"].append(dict(entry, status=status))
            return
        LOG.warning("Notifying alarm %s at %s failed: %s", body["alarm_id"], url, error)
        result["failed"].append(dict(entry, error=error))
