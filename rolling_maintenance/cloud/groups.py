"""Server groups: the (anti-)affinity rules the planner must keep while moving instances."""

from rolling_maintenance.cloud.errors import translated


def group_view(group):
    """`{"group_id","name","project_id","policy","members"}`.

    `policy` is the single policy of microversion 2.64+, or the first of the
    `policies` list older microversions return.
    """
    policy = group.policy
    if not policy and group.policies:
        policy = group.policies[0]
    return {
        "group_id": group.id,
        "name": group.name,
        "project_id": group.project_id,
        "policy": policy,
        "members": list(group.member_ids or []),
    }


def list_server_groups(conn):
    """Server groups of every project (admin), as dicts."""
    with translated():
        return [group_view(g) for g in conn.compute.server_groups(all_projects=True)]
