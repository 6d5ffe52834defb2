"""Tenant constraints as Mistral environments: their names, their kind, loading them all,
and laying them onto a cloud snapshot as every planning of a session reads it.

The constraints API stores each constraint as one Mistral environment whose
`variables` hold the constraint's JSON: `maintenance-instance-group-<group_id>`
for a group, `maintenance-instance-<instance_id>` for an instance. The two
prefixes overlap, so the kind is decided by the stored JSON (an instance
constraint has `instance_id`), never by the name alone.
"""

from rolling_maintenance.mistral import environments
from rolling_maintenance.mistral.client import own_project_id
from rolling_maintenance.planner.model.constraints_merge import merge_constraints

GROUP_PREFIX = "maintenance-instance-group-"
INSTANCE_PREFIX = "maintenance-instance-"
PAGE_SIZE = environments.PAGE_SIZE
variables_of = environments.variables_of


def group_env_name(group_id):
    return GROUP_PREFIX + group_id


def instance_env_name(instance_id):
    return INSTANCE_PREFIX + instance_id


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
    """Every Mistral environment whose name has the constraints prefix, in name order."""
    return environments.with_prefix(client, INSTANCE_PREFIX)


def load_constraints(client, project_id=None):
    """`{"groups": {group_id: {...}}, "instances": {instance_id: {...}}}` from Mistral.

    `client` is a python-mistralclient v2 client of the identity the constraints
    API stores them with (environments are private to their Mistral project).
    With Keystone, `project_id` is that identity's project: Mistral lists every
    project's environments to a caller with the admin role, and only the ones
    the constraints API wrote count, not a like-named one any project can make.
    """
    found = {"groups": {}, "instances": {}}
    for environment in constraint_environments(client):
        if project_id and getattr(environment, "project_id", None) != project_id:
            continue
        kind = kind_of(environment)
        if kind == "group":
            variables = variables_of(environment)
            found["groups"][variables["group_id"]] = variables
        elif kind == "instance":
            variables = variables_of(environment)
            found["instances"][variables["instance_id"]] = variables
    return found


def constrained_snapshot(snapshot, client, project_id=None):
    """`(snapshot with the registered constraints, counts)` (see
    `constraints_merge.merge_constraints`): the cloud as a session plans it.

    The session's planning step and the dry run on a live cloud both call
    this, so the dry run predicts the plan the session makes. The
    constraints counted are those of the client's own Mistral project when it
    has a Keystone session, else of `project_id` (None: every one stored).
    """
    return merge_constraints(snapshot, load_constraints(client, own_project_id(client) or project_id))
