"""Put the tenants' constraints onto the cloud snapshot the planner reads.

The constraints come from `mistral.constraints.load_constraints` (`{"groups":
{group_id: {...}}, "instances": {instance_id: {...}}}`). A group constraint's
`group_id` is the Nova server group's id. A tenant may also describe a group
Nova knows nothing of (its members placed by the tenant, not by a server
group); such a group joins `groups[]`, anti-affinity when the tenant says so,
and its members get its `group_id` from their instance constraints. A
constraint naming another project than the group's or instance's is ignored:
a tenant constrains only its own resources.
"""

import copy

GROUP_FIELDS = ("max_instances_per_host", "max_impacted_members", "recovery_time",
                "resource_mitigation")
INSTANCE_FIELDS = ("max_interruption_time", "migration_type", "lead_time", "resource_mitigation")
# Fenix reads 0 as "no limit" here: Tacker and Doctor's VNFM write it for
# their groups that are not anti-affinity.
ZERO_IS_NO_LIMIT = ("max_instances_per_host",)


def _copy_fields(target, constraint, names):
    for name in names:
        value = constraint.get(name)
        if value is None or (value == 0 and name in ZERO_IS_NO_LIMIT):
            continue
        target[name] = value


def _own(entry, constraint):
    return entry.get("project_id") is None or constraint.get("project_id") == entry["project_id"]


def _new_group(constraint):
    group = {
        "group_id": constraint["group_id"],
        "project_id": constraint.get("project_id"),
        "name": constraint.get("group_name"),
        "policy": "anti-affinity" if constraint.get("anti_affinity_group") is True else None,
    }
    _copy_fields(group, constraint, GROUP_FIELDS)
    return group


def apply_constraints(snapshot, constraints):
    """A new snapshot with the constraint fields on `groups[]` and `instances[]`; the input is not changed.

    groups gain `max_instances_per_host`, `max_impacted_members`,
    `recovery_time`, `resource_mitigation`; instances gain
    `max_interruption_time`, `migration_type`, `lead_time`, `resource_mitigation`.
    """
    return merge_constraints(snapshot, constraints)[0]


def merge_constraints(snapshot, constraints):
    """`(merged snapshot, counts)`: `apply_constraints`'s snapshot, and how many
    constraints it used, so an operator sees what a plan rests on:
    `{"groups": n, "instances": n, "ignored": n}` (ignored: another project's
    group or instance, or an instance the snapshot does not hold)."""
    merged = copy.deepcopy(snapshot)
    group_constraints = (constraints or {}).get("groups") or {}
    instance_constraints = (constraints or {}).get("instances") or {}
    counts = {"groups": 0, "instances": 0, "ignored": 0}
    groups = merged.get("groups") or []
    known = set()
    for group in groups:
        known.add(group["group_id"])
        constraint = group_constraints.get(group["group_id"])
        if constraint and _own(group, constraint):
            _copy_fields(group, constraint, GROUP_FIELDS)
            counts["groups"] += 1
    added = {}
    for group_id in sorted(group_constraints):
        if group_id not in known:
            added[group_id] = _new_group(group_constraints[group_id])
            groups.append(added[group_id])
    if added:
        merged["groups"] = groups
    counts["groups"] += len(added)
    for instance in merged.get("instances") or []:
        constraint = instance_constraints.get(instance["id"])
        if not constraint or not _own(instance, constraint):
            continue
        _copy_fields(instance, constraint, INSTANCE_FIELDS)
        counts["instances"] += 1
        group = added.get(constraint.get("group_id"))
        if instance.get("group_id") is None and group is not None \
                and group["project_id"] == instance.get("project_id"):
            instance["group_id"] = group["group_id"]
    counts["ignored"] = len(group_constraints) + len(instance_constraints) \
        - counts["groups"] - counts["instances"]
    return merged, counts
