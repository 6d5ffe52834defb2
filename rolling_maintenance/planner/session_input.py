"""Validate and normalise the input of a maintenance session.

Everything is checked before the cloud is touched: a bad field fails the
session at once with a message that names it, and changes nothing.
"""

import datetime

import jsonschema

PLUGIN_TYPES = ("pre", "host", "post")
# Fields where null is a choice, not "not given".
NULL_MEANS_SOMETHING = ("max_parallel_hosts",)

SCHEMA = {
    "type": "object",
    "properties": {
        "hosts": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True},
        "maintenance_at": {"type": ["string", "null"]},
        "metadata": {"type": "object"},
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "plugin": {"type": "string", "minLength": 1},
                    "type": {"enum": list(PLUGIN_TYPES)},
                    "metadata": {"type": "object"},
                },
                "required": ["plugin", "type"],
                "additionalProperties": False,
            },
        },
        "project_maintenance_reply": {"type": "integer", "minimum": 1},
        "project_scale_in_reply": {"type": "integer", "minimum": 1},
        "unsubscribed": {"enum": ["fail", "migrate"]},
        "migration_type": {"enum": ["LIVE_MIGRATE", "MIGRATE"]},
        "max_parallel_hosts": {"type": ["integer", "null"], "minimum": 1},
        "max_scale_in_rounds": {"type": "integer", "minimum": 0},
        "event_type": {"type": "string", "minLength": 1},
        "migration_timeout": {"type": "integer", "minimum": 1},
        "own_action_timeout": {"type": "integer", "minimum": 1},
    },
}


def _field_name(error):
    path = "".join("[%d]" % p if isinstance(p, int) else ".%s" % p for p in error.absolute_path)
    return path.lstrip(".") or "input"


def schema_errors(raw):
    """Messages for every field of `raw` that does not fit the schema."""
    validator = jsonschema.Draft7Validator(SCHEMA)
    return sorted("%s: %s" % (_field_name(e), e.message) for e in validator.iter_errors(raw))


def parse_time(text):
    """Parse an ISO 8601 time; a time without zone is taken as UTC."""
    value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def validate_session_input(raw, compute_hosts, workflows, actions, now):
    """Check a session's input against the cloud and Mistral.

    `compute_hosts`: names of the nova-compute hosts; `workflows`/`actions`:
    names Mistral knows, for the plug-ins; `now`: an aware datetime.
    Returns `(session, errors)`; `session` is None when there are errors.
    """
    errors = schema_errors(raw)
    if errors:
        return None, errors
    hosts = list(raw.get("hosts") or [])
    unknown = [h for h in hosts if h not in compute_hosts]
    if unknown:
        errors.append("hosts: unknown compute host(s): %s" % ", ".join(unknown))
    start_delay_s = 0
    if raw.get("maintenance_at"):
        try:
            at = parse_time(raw["maintenance_at"])
            start_delay_s = max(0, int((at - now).total_seconds() + 0.999))
        except ValueError:
            errors.append("maintenance_at: %r is not an ISO 8601 time" % raw["maintenance_at"])
    plugins = {kind: [] for kind in PLUGIN_TYPES}
    for index, entry in enumerate(raw.get("actions") or []):
        name = entry["plugin"]
        if name in workflows:
            kind = "workflow"
        elif name in actions:
            kind = "action"
        else:
            errors.append("actions[%d].plugin: %r is neither a Mistral workflow nor an action" % (index, name))
            continue
        plugins[entry["type"]].append({"plugin": name, "kind": kind, "metadata": entry.get("metadata", {})})
    if errors:
        return None, errors
    session = {
        "hosts": hosts or sorted(compute_hosts),
        "all_hosts": not hosts,
        "maintenance_at": raw.get("maintenance_at"),
        "start_delay_s": start_delay_s,
        "metadata": raw.get("metadata", {}),
        "plugins": plugins,
    }
    for key in SCHEMA["properties"]:
        if key not in session and key in raw and key != "actions":
            session[key] = raw[key]
    return session, []
