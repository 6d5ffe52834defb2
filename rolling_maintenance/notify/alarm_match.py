"""Decide, as Aodh's event evaluator would, whether an event alarm fires on an event.

The webhook driver stands in for Ceilometer + Aodh, so a subscription that
would not fire on a real cloud must not fire here either: disabled alarms,
another event type (Aodh matches it as a shell-style pattern), a query on the
traits that does not hold, or an alarm without `repeat_actions` that already
fired.
"""

import fnmatch
import operator

from rolling_maintenance.notify import payloads

COMPARATORS = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
TRAIT_TYPES = {"string": 1, "integer": 2, "float": 3, "datetime": 4}


def _typed(value, trait_type):
    if trait_type in (2, "integer"):
        return int(value)
    if trait_type in (3, "float"):
        return float(value)
    if trait_type in (4, "datetime"):
        return payloads.parse_time(str(value)).replace(tzinfo=None)
    return str(value)


def _event_value(field, event):
    if field.startswith("traits."):
        name = field.split(".", 1)[1]
        for trait_name, trait_type, value in event["traits"]:
            if trait_name == name:
                return _typed(value, trait_type)
        return None
    value = event
    for part in field.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _condition_holds(condition, event):
    try:
        op = COMPARATORS[condition.get("op") or "eq"]
        expected = condition.get("value")
        if condition["field"].startswith("traits."):
            expected = _typed(expected, TRAIT_TYPES.get(condition.get("type") or "string", 1))
        return bool(op(_event_value(condition["field"], event), expected))
    except (KeyError, TypeError, ValueError, payloads.PayloadError):
        # Aodh logs a condition it cannot evaluate and does not fire.
        return False


def why_not_fired(alarm, event):
    """None when `alarm` fires on `event` (an Aodh event dict), else the reason it does not."""
    if alarm.get("type", "event") != "event":
        return "not an event alarm"
    if not alarm.get("enabled", True):
        return "alarm is disabled"
    rule = alarm.get("event_rule") or {}
    pattern = rule.get("event_type")
    if not pattern or not fnmatch.fnmatchcase(event["event_type"], pattern):
        return "event type %s does not match %r" % (event["event_type"], pattern)
    if not alarm.get("repeat_actions", False) and alarm.get("state") == "alarm":
        return "alarm already fired and has no repeat_actions"
    for condition in rule.get("query") or []:
        if not _condition_holds(condition, event):
            return "query condition %r does not hold" % (condition,)
    return None
