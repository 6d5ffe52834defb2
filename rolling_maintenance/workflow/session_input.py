"""The input of a maintenance session: its one schema, its defaults, its checks.

The workbook declares the same inputs with the same defaults (the workbook
lint compares them with `DEFAULTS`) and hands the whole input to
`maintenance.validate_session` as `execution().input`. Everything is checked
before the cloud is touched: a bad field fails the session at once with a
message that names it, and changes nothing.
"""

import copy

import jsonschema

from rolling_maintenance.workflow import contract
from rolling_maintenance.workflow.times import iso_z, parse_time

PLUGIN_TYPES = ("pre", "host", "post")
# Fields where null is a choice, not "not given".
NULL_MEANS_SOMETHING = ("max_parallel_hosts",)

# Upper bounds: every number, list, text and object a user sends has one, so an
# absurd value (a reply window of 1e300 s) is refused naming the field instead
# of hanging the session. The README's session-input table states them.
DAY_S = 86400
MAX_HOSTS = 1000
MAX_PLUGINS = 50
MAX_NAME = 255
MAX_KEYS = 64
_SECONDS = {"type": "integer", "minimum": 1, "maximum": DAY_S}
_NAME = {"type": "string", "minLength": 1, "maxLength": MAX_NAME}
_METADATA = {"type": "object", "maxProperties": MAX_KEYS}
# A host's nova-compute is looked at this often (at most) while the session
# waits for it to come back after its maintenance.
HOST_RETURN_POLL_S = 10

SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Input of %s" % contract.ROLLING,
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "hosts": {"type": "array", "items": _NAME, "uniqueItems": True, "maxItems": MAX_HOSTS,
                  "default": []},
        "maintenance_at": {"type": ["string", "null"], "maxLength": 64, "default": None},
        "metadata": dict(_METADATA, default={}),
        "actions": {
            "type": "array",
            "maxItems": MAX_PLUGINS,
            "items": {
                "type": "object",
                "properties": {
                    "plugin": _NAME,
                    "type": {"enum": list(PLUGIN_TYPES)},
                    "metadata": _METADATA,
                },
                "required": ["plugin", "type"],
                "additionalProperties": False,
            },
            "default": [],
        },
        "project_maintenance_reply": dict(_SECONDS, default=300),
        "project_scale_in_reply": dict(_SECONDS, default=300),
        "unsubscribed": {"enum": ["fail", "migrate"], "default": "fail"},
        "migration_type": {"enum": list(contract.MIGRATION_TYPES), "default": contract.LIVE_MIGRATE},
        "max_parallel_hosts": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_HOSTS,
                               "default": 1},
        "max_moved_twice_percent": {"type": "integer", "minimum": 0, "maximum": 100, "default": 10},
        "max_scale_in_rounds": {"type": "integer", "minimum": 0, "maximum": 10, "default": 2},
        "event_type": dict(_NAME, default="maintenance.scheduled"),
        "workflow": {"enum": list(contract.WORKFLOWS), "default": contract.DEFAULT_WORKFLOW},
        "migration_timeout": dict(_SECONDS, default=900),
        "own_action_timeout": dict(_SECONDS, default=600),
        "host_return_timeout": dict(_SECONDS, default=300),
    },
}
DEFAULTS = {name: field["default"] for name, field in SCHEMA["properties"].items()}


def _field_name(error):
    path = "".join("[%d]" % p if isinstance(p, int) else ".%s" % p for p in error.absolute_path)
    return path.lstrip(".") or "input"


def schema_errors(raw):
    """Messages for every field of `raw` that does not fit the schema."""
    validator = jsonschema.Draft7Validator(SCHEMA)
    return sorted("%s: %s" % (_field_name(e), e.message) for e in validator.iter_errors(raw))


def read_fields(raw):
    """`(fields, [])`: every field, the defaults filled in; or `(None, errors)`.

    A null field counts as not given (its default applies), except where
    null is a choice of its own (`max_parallel_hosts`: as many as the limits
    allow).
    """
    if not isinstance(raw, dict):
        return None, ["input: must be an object, got %s" % type(raw).__name__]
    given = {name: value for name, value in raw.items()
             if value is not None or name in NULL_MEANS_SOMETHING}
    errors = schema_errors(given)
    if errors:
        return None, errors
    fields = copy.deepcopy(DEFAULTS)
    fields.update(given)
    return fields, []


def _maintenance_at(maintenance_at, errors):
    """The start as the session keeps it (ISO 8601, UTC, `Z`), or None: at once.
    The wait is measured when the replies are in, not here."""
    if not maintenance_at:
        return None
    try:
        return iso_z(parse_time(maintenance_at))
    except ValueError as exc:
        errors.append("maintenance_at: %s" % exc)
        return None


def host_return_polls(timeout_s):
    """`(polls, delay_s)`: how many more times, and how many seconds apart,
    the workflow looks at a host's nova-compute before it gives up on it;
    together at least `timeout_s`, each look at most HOST_RETURN_POLL_S apart."""
    delay = max(1, min(HOST_RETURN_POLL_S, timeout_s // 10))
    return -(-timeout_s // delay), delay


def _plugins(entries, workflows, actions, errors):
    plugins = {kind: [] for kind in PLUGIN_TYPES}
    for index, entry in enumerate(entries):
        name = entry["plugin"]
        if name in workflows:
            kind = "workflow"
        elif name in actions:
            kind = "action"
        else:
            errors.append("actions[%d].plugin: %r is neither a Mistral workflow nor an action" % (index, name))
            continue
        plugins[entry["type"]].append({"plugin": name, "kind": kind, "metadata": entry.get("metadata", {})})
    return plugins


def validate_session_input(raw, compute_hosts, workflows, actions, now):
    """Check a session's input against the cloud and Mistral.

    `compute_hosts`: names of the nova-compute hosts; `workflows`/`actions`:
    names Mistral knows, for the plug-ins; `now`: an aware datetime.
    Returns `(session, errors)`; `session` is None when there are errors.
    The session holds every field of the input (the plug-ins grouped by
    type), the hosts in scope, `maintenance_at` as ISO 8601 UTC text and the
    polls of a host coming back (`host_return_polls`).
    """
    fields, errors = read_fields(raw)
    if errors:
        return None, errors
    unknown = [h for h in fields["hosts"] if h not in compute_hosts]
    if unknown:
        errors.append("hosts: unknown compute host(s): %s" % ", ".join(unknown))
    maintenance_at = _maintenance_at(fields["maintenance_at"], errors)
    plugins = _plugins(fields.pop("actions"), workflows, actions, errors)
    if errors:
        return None, errors
    polls, poll_s = host_return_polls(fields["host_return_timeout"])
    return dict(fields, hosts=fields["hosts"] or sorted(compute_hosts), all_hosts=not fields["hosts"],
                maintenance_at=maintenance_at, plugins=plugins, host_return_polls=polls,
                host_return_poll_s=poll_s), []


def overlapping_sessions(hosts, others):
    """Messages for the sessions of `others` (`{"id", "state", "hosts"}`) that hold any
    of `hosts`; an empty host list (every compute host) overlaps every session."""
    problems = []
    for other in others:
        shared = sorted(set(hosts) & set(other["hosts"]))
        if hosts and other["hosts"] and not shared:
            continue
        which = ", ".join(shared) if shared else "every compute host"
        problems.append(
            "hosts: %s already in session %s (%s); a host is in one session at a time: wait "
            "for it to end, or cancel it" % (which, other["id"], other["state"]))
    return problems
