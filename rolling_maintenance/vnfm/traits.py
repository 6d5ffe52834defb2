"""Turn an Aodh event-alarm webhook body back into the maintenance payload.

Ceilometer stores every payload value as a text trait (`str(value)`, cut at
255 characters), so lists and dicts arrive as Python reprs. The VNFMs that
already exist decode them with a YAML parser; we read them as Python literals
first (exact for reprs) and fall back to YAML for anything else.
"""

import ast

import yaml

PAYLOAD_FIELDS = ("project_id", "tenant_id", "instance_ids", "allowed_actions", "state",
                  "actions_at", "reply_at", "session_id", "metadata", "reply_url")
STATES = ("MAINTENANCE", "SCALE_IN", "PREPARE_MAINTENANCE", "PLANNED_MAINTENANCE",
          "MAINTENANCE_COMPLETE", "INSTANCE_ACTION_DONE")


class BadNotification(ValueError):
    """A webhook body that is not a maintenance event alarm we can act on."""


def decode_text(value):
    """A trait value as the payload value it was made from, when it can be told.

    `"['MIGRATE', 'LIVE_MIGRATE']"` -> list, `"{'a': 1}"` -> dict, `"None"` ->
    None; anything else (a URL, an id, a truncated repr) stays text.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text == "None":
        return None
    if not text or text[0] not in "[{":
        return value
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        pass
    try:
        decoded = yaml.safe_load(text)
    except yaml.YAMLError:
        return value
    return decoded if isinstance(decoded, (list, dict)) else value


def _trait_pairs(traits):
    for index, trait in enumerate(traits):
        if isinstance(trait, (list, tuple)) and len(trait) == 3 and isinstance(trait[0], str):
            yield trait[0], trait[2]
        elif isinstance(trait, dict) and isinstance(trait.get("name"), str):
            yield trait["name"], trait.get("value")
        else:
            raise BadNotification("reason_data.event.traits[%d] is not [name, type, value]: %r"
                                  % (index, trait))


def _event_of(body):
    if not isinstance(body, dict):
        raise BadNotification("the webhook body must be a JSON object, got %s" % type(body).__name__)
    reason_data = body.get("reason_data")
    if not isinstance(reason_data, dict):
        raise BadNotification("the webhook body has no reason_data object (not an Aodh alarm)")
    event = reason_data.get("event")
    if not isinstance(event, dict):
        raise BadNotification("reason_data.event is missing: the alarm is not an event alarm")
    if not isinstance(event.get("traits"), list):
        raise BadNotification("reason_data.event.traits must be a list")
    return event


def _as_list(name, value):
    value = decode_text(value)
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    raise BadNotification("%s must be a list, got %r" % (name, value))


def parse_notification(body):
    """The payload of a maintenance webhook: plain fields, lists and dicts decoded.

    Returns a dict with every name of `PAYLOAD_FIELDS` (None when absent) plus
    `event_type`, `message_id` and `generated` from the event. `instance_ids`
    is a URL to GET, or a list: INSTANCE_ACTION_DONE's one id, or the
    instances of a sender that inlines them.
    """
    event = _event_of(body)
    traits = dict(_trait_pairs(event["traits"]))
    payload = {name: decode_text(traits.get(name)) for name in PAYLOAD_FIELDS}
    state = payload["state"]
    if state not in STATES:
        raise BadNotification("unknown maintenance state %r (expected one of %s)"
                              % (state, ", ".join(STATES)))
    if not payload["session_id"]:
        raise BadNotification("the notification has no session_id trait")
    payload["allowed_actions"] = _as_list("allowed_actions", traits.get("allowed_actions"))
    metadata = payload["metadata"]
    payload["metadata"] = {} if metadata is None else metadata
    payload["event_type"] = event.get("event_type")
    payload["message_id"] = event.get("message_id")
    payload["generated"] = event.get("generated")
    return payload
