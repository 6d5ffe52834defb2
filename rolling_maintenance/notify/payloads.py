"""Notification payloads, built the way Fenix sends them so existing VNFMs keep working.

Pure functions without I/O; the callers pass the times. Every builder checks
its input and raises `PayloadError` naming the field that is wrong, so a bad
workflow parameter fails the action with a readable reason instead of sending
a notification a VNFM cannot parse.
"""

import datetime
import json
import uuid

from rolling_maintenance.workflow import session_input, times
from rolling_maintenance.workflow.contract import (
    HOST_STATES,
    INSTANCE_ACTION_DONE,
    INSTANCE_ACTIONS,
    MAINTENANCE_DONE,
    MOVING_STATES,
    PROJECT_STATES,
    SESSION_STATES,
    allowed_actions,
)

DEFAULT_EVENT_TYPE = session_input.DEFAULTS["event_type"]
HOST_EVENT_TYPE = "maintenance.host"
SESSION_EVENT_TYPE = "maintenance.session"

TRAIT_TEXT = 1
TRAIT_MAX_CHARS = 255


class PayloadError(ValueError):
    """A payload field is missing or has a value no receiver could use."""


def _require_text(name, value):
    if not isinstance(value, str) or not value.strip():
        raise PayloadError("%s must be a non-empty string, got %r" % (name, value))
    return value


def _require_choice(name, value, choices):
    if value not in choices:
        raise PayloadError("%s must be one of %s, got %r" % (name, ", ".join(choices), value))
    return value


def iso_utc(value):
    """`2026-11-22T10:00:00Z` from a datetime (naive = UTC), epoch seconds or ISO text.

    Whole seconds: the VNFMs in the field parse this exact shape.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise PayloadError("a time must be a datetime, epoch seconds or ISO 8601 text, got %r"
                           % value)
    if isinstance(value, (int, float)):
        moment = datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    elif isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, str):
        moment = parse_time(value)
    else:
        raise PayloadError("a time must be a datetime, epoch seconds or ISO 8601 text, got %r"
                           % (value,))
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text):
    """An aware UTC datetime from ISO 8601 text (see `workflow.times`)."""
    try:
        return times.parse_time(text)
    except ValueError as exc:
        raise PayloadError(str(exc)) from None


def reply_url(api_url, session_id, project_id):
    """Where the project GETs its instances and PUTs its reply (Fenix's path)."""
    _require_text("api_url", api_url)
    if not api_url.startswith(("http://", "https://")):
        raise PayloadError("api_url must be an http(s) URL, got %r" % api_url)
    return "%s/v1/maintenance/%s/%s" % (
        api_url.rstrip("/"), _require_text("session_id", session_id),
        _require_text("project_id", project_id))


def allowed_actions_for(state):
    """Instance actions a project may choose in `state`: only when instances must move."""
    _require_choice("state", state, PROJECT_STATES)
    return allowed_actions(state)


def _one_instance(state, instance_ids):
    """The one-element list of a per-instance question (the `vnf` workflow's)."""
    if state not in MOVING_STATES:
        raise PayloadError("only %s are asked per instance, not %s"
                           % (" and ".join(MOVING_STATES), state))
    if not isinstance(instance_ids, list) or len(instance_ids) != 1:
        raise PayloadError("a per-instance %s names exactly one instance, got %r"
                           % (state, instance_ids))
    return [_require_text("instance_ids[0]", instance_ids[0])]


def project_event(session_id, project_id, state, api_url, *, instance_ids=None,
                  allowed_actions=None, actions_at=None, reply_at=None, metadata=None,
                  per_instance=False):
    """The project event (`maintenance.scheduled` by default) for one project.

    `instance_ids` is the URL the project GETs its instance list from, because
    Aodh cuts every trait at 255 characters; only INSTANCE_ACTION_DONE names
    its one instance directly (given as `instance_ids`), in a one-element
    list as Fenix sends it, and so does a `per_instance` question (the `vnf`
    workflow's PREPARE_MAINTENANCE and PLANNED_MAINTENANCE, `instance_ids`
    a one-element list). `project_id` and
    `tenant_id` carry the same value: Ceilometer reads the project of an event
    from either.
    """
    _require_choice("state", state, PROJECT_STATES)
    url = reply_url(api_url, session_id, project_id)
    if state == INSTANCE_ACTION_DONE:
        instance_ids = [_require_text("instance_ids (the one instance of INSTANCE_ACTION_DONE)",
                                      instance_ids)]
    elif per_instance:
        instance_ids = _one_instance(state, instance_ids)
    else:
        if instance_ids is not None:
            raise PayloadError("instance_ids is the URL %s for %s; only INSTANCE_ACTION_DONE "
                               "names an instance" % (url, state))
        instance_ids = url
    if allowed_actions is None:
        allowed_actions = allowed_actions_for(state)
    elif not isinstance(allowed_actions, (list, tuple)):
        raise PayloadError("allowed_actions must be a list, got %r" % (allowed_actions,))
    else:
        for action in allowed_actions:
            _require_choice("allowed_actions[]", action, INSTANCE_ACTIONS)
        allowed_actions = list(allowed_actions)
    if metadata is None:
        metadata = {}
    elif not isinstance(metadata, dict):
        raise PayloadError("metadata must be an object, got %r" % (metadata,))
    return {
        "project_id": project_id,
        "tenant_id": project_id,
        "instance_ids": instance_ids,
        "allowed_actions": allowed_actions,
        "state": state,
        "actions_at": iso_utc(actions_at),
        "reply_at": iso_utc(reply_at),
        "session_id": session_id,
        "metadata": dict(metadata),
        "reply_url": url,
    }


def host_event(host, state, session_id, project_id):
    """`maintenance.host`: tells fault managers a host is down on purpose, or back.

    `project_id` is the admin's project (None when Mistral runs without auth).
    """
    if project_id is not None:
        _require_text("project_id", project_id)
    return {
        "host": _require_text("host", host),
        "state": _require_choice("state", state, HOST_STATES),
        "session_id": _require_text("session_id", session_id),
        "project_id": project_id,
    }


def session_event(session_id, state, hosts_done, hosts_total, reason=None, percent_done=None):
    """`maintenance.session`: the admin's progress report on every state change.

    `percent_done` defaults to the share of hosts done; the workflow passes its
    own when it counts progress otherwise.
    """
    _require_text("session_id", session_id)
    _require_choice("state", state, SESSION_STATES)
    for name, value in (("hosts_done", hosts_done), ("hosts_total", hosts_total)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise PayloadError("%s must be a whole number >= 0, got %r" % (name, value))
    if hosts_done > hosts_total:
        raise PayloadError("hosts_done (%d) cannot exceed hosts_total (%d)"
                           % (hosts_done, hosts_total))
    if reason is not None and not isinstance(reason, str):
        raise PayloadError("reason must be text, got %r" % (reason,))
    if percent_done is not None:
        if isinstance(percent_done, bool) or not isinstance(percent_done, (int, float)) \
                or not 0 <= percent_done <= 100:
            raise PayloadError("percent_done must be a number from 0 to 100, got %r"
                               % (percent_done,))
        percent = percent_done
    elif hosts_total:
        percent = (100 * hosts_done) // hosts_total
    else:
        percent = 100 if state == MAINTENANCE_DONE else 0
    return {
        "session_id": session_id,
        "state": state,
        "percent_done": percent,
        "hosts_done": hosts_done,
        "hosts_total": hosts_total,
        "reason": reason,
    }


def trait_text(value):
    """A payload value as Ceilometer stores it in a text trait: `str()`, cut at 255."""
    return str(value)[:TRAIT_MAX_CHARS]


def traits_of(payload):
    """`[[name, 1, text], ...]` for each payload field; Ceilometer drops `None` fields."""
    return [[name, TRAIT_TEXT, trait_text(value)]
            for name, value in payload.items() if value is not None]


def aodh_webhook_body(event_type, payload, alarm, *, message_id=None, generated=None):
    """The JSON body Aodh's notifier POSTs when an event alarm fires on this event.

    `alarm` is an Aodh alarm dict (`alarm_id`, `name`, `severity`, `state`,
    `event_rule`). `generated` is the event time (datetime, epoch or ISO);
    `message_id` defaults to a new UUID like a fresh notification's.
    """
    _require_text("event_type", event_type)
    if not isinstance(payload, dict):
        raise PayloadError("payload must be an object, got %r" % (payload,))
    if not isinstance(alarm, dict) or not alarm.get("alarm_id"):
        raise PayloadError("alarm must be an Aodh alarm with an alarm_id, got %r" % (alarm,))
    message_id = message_id or str(uuid.uuid4())
    rule = alarm.get("event_rule") or {}
    query = rule.get("query") or []
    return {
        "alarm_name": alarm.get("name"),
        "alarm_id": alarm["alarm_id"],
        "severity": alarm.get("severity", "low"),
        "previous": alarm.get("state", "insufficient data"),
        "current": "alarm",
        "reason": "Event <id=%s,event_type=%s> hits the query <query=%s>." % (
            message_id, event_type, json.dumps(query, sort_keys=True)),
        "reason_data": {
            "type": "event",
            "event": {
                "message_id": message_id,
                "event_type": event_type,
                "generated": _event_time(generated),
                "traits": traits_of(payload),
                "raw": {},
            },
        },
    }


def _event_time(generated):
    """Ceilometer's `generated`: naive UTC `isoformat()` with microseconds."""
    if generated is None:
        moment = datetime.datetime.now(datetime.timezone.utc)
    elif isinstance(generated, datetime.datetime):
        moment = generated if generated.tzinfo else generated.replace(tzinfo=datetime.timezone.utc)
    elif isinstance(generated, (int, float)) and not isinstance(generated, bool):
        moment = datetime.datetime.fromtimestamp(generated, datetime.timezone.utc)
    elif isinstance(generated, str):
        moment = parse_time(generated)
    else:
        raise PayloadError("generated must be a time, got %r" % (generated,))
    naive = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return naive.isoformat(timespec="microseconds")
