"""Every number, list, text and object a user sends has an upper bound, and an absurd value
is refused naming its field: session input, admin API body, constraints, replies."""

import json

import pytest

from rolling_maintenance.api import admin_schema, constraints_schema, errors, reply_schema
from rolling_maintenance.workflow import session_input

BOUND_BY_TYPE = {"integer": "maximum", "number": "maximum", "string": "maxLength",
                 "array": "maxItems", "object": "maxProperties"}


def unbounded(schema, where):
    """Paths in `schema` of a number, text, list or free object with no upper bound."""
    found = []
    if "enum" in schema:
        return found
    for alternative in schema.get("oneOf", ()):
        found += unbounded(alternative, where)
    kinds = schema.get("type", [])
    for kind in [kinds] if isinstance(kinds, str) else kinds:
        closed_object = kind == "object" and "properties" in schema \
            and schema.get("additionalProperties") is False
        if kind in BOUND_BY_TYPE and BOUND_BY_TYPE[kind] not in schema and not closed_object:
            found.append(where)
    for name, field in schema.get("properties", {}).items():
        found += unbounded(field, "%s.%s" % (where, name))
    if isinstance(schema.get("items"), dict):
        found += unbounded(schema["items"], where + "[]")
    return found


@pytest.mark.parametrize("name, schema", [
    ("session input", session_input.SCHEMA),
    ("admin body", admin_schema.SCHEMA),
    ("instance group", constraints_schema.GROUP_SCHEMA),
    ("instance", constraints_schema.INSTANCE_SCHEMA),
    ("reply", reply_schema.SCHEMA),
])
def test_every_field_has_an_upper_bound(name, schema):
    assert unbounded(schema, name) == []


@pytest.mark.parametrize("field, value", [
    ("project_maintenance_reply", 1e300),
    ("project_scale_in_reply", 86401),
    ("migration_timeout", 10 ** 9),
    ("own_action_timeout", 10 ** 9),
    ("max_parallel_hosts", 10 ** 6),
    ("max_scale_in_rounds", 1000),
    ("event_type", "x" * 256),
    ("hosts", ["h%d" % i for i in range(1001)]),
    ("metadata", {"k%d" % i: i for i in range(65)}),
])
def test_absurd_session_inputs_are_refused_naming_the_field(field, value):
    fields, problems = session_input.read_fields({field: value})
    assert fields is None and len(problems) == 1 and problems[0].startswith(field + ":"), problems


def test_a_day_is_the_longest_reply_window():
    assert session_input.read_fields({"project_maintenance_reply": 86400})[1] == []
    assert session_input.read_fields({"project_maintenance_reply": 86400.0})[1] == []


def test_the_admin_api_refuses_an_absurd_reply_window_naming_it():
    with pytest.raises(errors.ApiError) as info:
        admin_schema.session_input_from(b'{"project_maintenance_reply": 1e300}')
    assert info.value.status == 400
    assert info.value.message.startswith("project_maintenance_reply:")


GROUP = {"group_id": "g1", "project_id": "p1", "anti_affinity_group": True,
         "max_instances_per_host": 1, "max_impacted_members": 1, "recovery_time": 10,
         "resource_mitigation": False}
INSTANCE = {"instance_id": "vm-1", "project_id": "p1", "max_interruption_time": 0,
            "migration_type": "LIVE_MIGRATE", "resource_mitigation": False, "lead_time": 0}


@pytest.mark.parametrize("field, value", [
    ("recovery_time", 1e300), ("recovery_time", 3601), ("max_impacted_members", 10 ** 12),
    ("max_instances_per_host", 10001)])
def test_absurd_group_constraints_are_refused_naming_the_field(field, value):
    with pytest.raises(errors.ApiError) as info:
        constraints_schema.parse_group(json.dumps(dict(GROUP, **{field: value})).encode(), "g1")
    assert info.value.status == 400 and info.value.message.startswith(field), info.value.message


@pytest.mark.parametrize("field, value", [
    ("max_interruption_time", 1e300), ("max_interruption_time", 3601), ("lead_time", 86401)])
def test_absurd_instance_constraints_are_refused_naming_the_field(field, value):
    with pytest.raises(errors.ApiError) as info:
        constraints_schema.parse_instance(json.dumps(dict(INSTANCE, **{field: value})).encode(),
                                          "vm-1")
    assert info.value.status == 400 and info.value.message.startswith(field), info.value.message


def test_the_largest_constraints_are_taken():
    assert constraints_schema.parse_group(
        json.dumps(dict(GROUP, recovery_time=3600)).encode(), "g1")["recovery_time"] == 3600


def test_a_reply_naming_more_instances_than_a_project_may_have_is_refused():
    actions = {"vm-%d" % i: "MIGRATE" for i in range(reply_schema.MAX_INSTANCES + 1)}
    body = json.dumps({"state": "ACK_PLANNED_MAINTENANCE", "instance_actions": actions})
    with pytest.raises(errors.ApiError) as info:
        reply_schema.parse_reply(body.encode())
    assert info.value.status == 400 and info.value.message.startswith("instance_actions:")
