"""Tenant constraints read from Mistral environments, for the actions that plan a session.

The constraints API stores each constraint as one Mistral environment whose
`variables` hold the constraint's JSON: `maintenance-instance-group-<group_id>`
for a group, `maintenance-instance-<instance_id>` for an instance. The two
prefixes overlap, so the kind is decided by the stored JSON (an instance
constraint has `instance_id`), never by the name alone.
"""

import json

GROUP_PREFIX = "maintenance-instance-group-"
INSTANCE_PREFIX = "maintenance-instance-"
PAGE_SIZE = 100


def group_env_name(group_id):
    return GROUP_PREFIX + group_id


def instance_env_name(instance_id):
    return INSTANCE_PREFIX + instance_id


def variables_of(environment):
    """The environment's variables as a dict (the client may hand them over as JSON text)."""
    variables = getattr(environment, "variables", None)
    if isinstance(variables, str):
        try:
            variables = json.loads(variables)
        except ValueError:
            return None
    return variables if isinstance(variables, dict) else None


def kind_of(environment):
    """`"instance"`, `"group"` or None (not a constraint) for one Mistral environment."""
    name = getattr(environment, "name", "") or ""
    variables = variables_of(environment)
    if variables is None or not name.startswith(INSTANCE_PREFIX):
        return None
    if isinstance(variables.get("instance_id"), str) \
            and name == instance_env_name(variables["instance_id"]):
        return "instance"
    if isinstance(variables.get("group_id"), str) and name == group_env_name(variables["group_id"]):
        return "group"
    return None


def constraint_environments(client):
    """Every Mistral environment whose name has the constraints prefix, in name order.

    Mistral cuts a list at its `[api] max_limit`, and its environment list
    cannot page with a marker (Mistral 23 looks the marker id up as a name),
    so each page asks for the names after the last one read.
    """
    name_filter = "gte:" + INSTANCE_PREFIX
    while True:
        page = client.environments.list(limit=PAGE_SIZE, sort_keys="name", sort_dirs="asc",
                                        name=name_filter)
        if not page:
            return
        for environment in page:
            if not environment.name.startswith(INSTANCE_PREFIX):
                return
            yield environment
        name_filter = "gt:" + page[-1].name


def load_constraints(client):
    """`{"groups": {group_id: {...}}, "instances": {instance_id: {...}}}` from Mistral.

    `client` is a python-mistralclient v2 client of the identity the constraints
    API stores them with (environments are private to their Mistral project).
    """
    found = {"groups": {}, "instances": {}}
    for environment in constraint_environments(client):
        kind = kind_of(environment)
        if kind == "group":
            variables = variables_of(environment)
            found["groups"][variables["group_id"]] = variables
        elif kind == "instance":
            variables = variables_of(environment)
            found["instances"][variables["instance_id"]] = variables
    return found
