"""The constraint bodies a VNFM PUTs (Fenix's format), checked before anything is stored.

Instance group: `{group_id, project_id, group_name, anti_affinity_group,
max_instances_per_host, max_impacted_members, recovery_time,
resource_mitigation}`. Instance: `{instance_id, project_id, group_id,
instance_name, max_interruption_time, migration_type, resource_mitigation,
lead_time}`. Times are seconds. Keys outside these are dropped, so what is
stored is exactly what the planner reads. OPNFV Doctor's VNFM writes the
migration type `MIGRATION`: it is taken as `MIGRATE` (cold migration). `EVICTION` is not offered as a
migration type: nothing in a rolling session could carry it out.
"""

import re

import jsonschema

from rolling_maintenance.api import body as request_body
from rolling_maintenance.api import errors
from rolling_maintenance.workflow.contract import INSTANCE_ACTIONS, MIGRATE

# Migration types written by Fenix's clients, as the planner names them.
MIGRATION_TYPE_ALIASES = {"MIGRATION": MIGRATE}
ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
_ID = {"type": "string", "pattern": ID_PATTERN, "maxLength": 128}
_NAME = {"type": ["string", "null"], "maxLength": 255}
# Upper bounds (the README's constraints table states them): a group of more
# members than a cloud has instances means nothing, and the move action waits
# out recovery and interruption times, so an hour is the most a tenant may ask.
MAX_COUNT = 10000
# Unknown keys are dropped, and a body has room for a few of them.
MAX_KEYS = 64
HOUR_S = 3600
DAY_S = 86400
_COUNT = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}
_WAIT_SECONDS = {"type": "integer", "minimum": 0, "maximum": HOUR_S}

GROUP_SCHEMA = {
    "type": "object",
    "maxProperties": MAX_KEYS,
    "required": ["group_id", "project_id", "anti_affinity_group", "max_instances_per_host",
                 "max_impacted_members", "recovery_time", "resource_mitigation"],
    "properties": {
        "group_id": _ID,
        "project_id": _ID,
        "group_name": _NAME,
        "anti_affinity_group": {"type": "boolean"},
        "max_instances_per_host": _COUNT,
        "max_impacted_members": _COUNT,
        "recovery_time": _WAIT_SECONDS,
        "resource_mitigation": {"type": "boolean"},
    },
}

INSTANCE_SCHEMA = {
    "type": "object",
    "maxProperties": MAX_KEYS,
    "required": ["instance_id", "project_id", "max_interruption_time", "migration_type",
                 "resource_mitigation", "lead_time"],
    "properties": {
        "instance_id": dict(_ID, **{"not": {"pattern": "^group-"}}),
        "project_id": _ID,
        "group_id": {"oneOf": [_ID, {"type": "null"}]},
        "instance_name": _NAME,
        "max_interruption_time": _WAIT_SECONDS,
        "migration_type": {"type": "string", "enum": [*INSTANCE_ACTIONS, *MIGRATION_TYPE_ALIASES]},
        "resource_mitigation": {"type": "boolean"},
        "lead_time": {"type": "integer", "minimum": 0, "maximum": DAY_S},
    },
}

_VALIDATORS = {
    "group_id": jsonschema.Draft7Validator(GROUP_SCHEMA),
    "instance_id": jsonschema.Draft7Validator(INSTANCE_SCHEMA),
}
_SCHEMAS = {"group_id": GROUP_SCHEMA, "instance_id": INSTANCE_SCHEMA}


def valid_id(value):
    """Whether `value` is an id a constraint may have (`$` in a pattern also takes a final newline)."""
    return isinstance(value, str) and re.fullmatch(ID_PATTERN.strip("^$"), value) is not None


def _field(error):
    if error.validator == "required":
        return error.message.split("'")[1]
    return ".".join(str(p) for p in error.absolute_path) or "body"


def _message(error):
    field = _field(error)
    if error.validator == "required":
        return "%s is required" % field
    if error.validator == "enum":
        return "%s must be one of %s, got %r" % (field, ", ".join(error.validator_value),
                                                  error.instance)
    if error.validator == "not" and field == "instance_id":
        return "instance_id must not start with 'group-', got %r" % (error.instance,)
    if error.validator in ("pattern", "oneOf") and field.endswith("_id"):
        return ("%s must be 1-128 letters, digits, '.', '_' or '-' (starting with a letter "
                "or digit), got %r" % (field, error.instance))
    if error.validator == "type" and error.validator_value == "integer" \
            and isinstance(error.instance, float):
        return "%s must be a whole number, got %r" % (field, error.instance)
    return "%s: %s" % (field, error.message)


def _parse(raw, id_key, path_id):
    body = request_body.parse_json(raw)
    validator = _VALIDATORS[id_key]
    problems = sorted(validator.iter_errors(body),
                      key=lambda e: (e.validator != "required", list(e.absolute_path)))
    if problems:
        raise errors.bad_request(_message(problems[0]))
    for key in ("group_id", "project_id", "instance_id"):
        if body.get(key) is not None and not valid_id(body[key]):
            raise errors.bad_request("%s must not end with a line break, got %r" % (key, body[key]))
    if body[id_key] != path_id:
        raise errors.bad_request("%s in the body (%r) differs from the one in the path (%r)"
                                 % (id_key, body[id_key], path_id))
    known = _SCHEMAS[id_key]["properties"]
    stored = {key: body.get(key) for key in known}
    if "migration_type" in stored:
        stored["migration_type"] = MIGRATION_TYPE_ALIASES.get(stored["migration_type"],
                                                              stored["migration_type"])
    return stored


def parse_group(raw, group_id):
    """The stored form of an instance group constraint PUT at `group_id`, or a 400 naming the field."""
    return _parse(raw, "group_id", group_id)


def parse_instance(raw, instance_id):
    """The stored form of an instance constraint PUT at `instance_id`, or a 400 naming the field."""
    return _parse(raw, "instance_id", instance_id)
