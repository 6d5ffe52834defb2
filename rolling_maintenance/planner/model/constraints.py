"""The optional constraints of groups and instances, read and checked once.

Groups may carry `max_impacted_members` (members impacted at once: from
the start of a member's move until it ended and the group recovered),
`recovery_time` (seconds the group needs after a member moved) and
`max_instances_per_host`; instances may carry
`max_interruption_time`, `lead_time` (seconds the project needs before its
instances move) and `ram_dirty_rate` (MB/s written while live-migrating).
Absent or null means "no limit" / zero.
"""

from rolling_maintenance.planner.model.errors import InvalidInput
from rolling_maintenance.planner.model.fields import describe

GROUP_COUNTS = ("max_impacted_members", "max_instances_per_host")
GROUP_SECONDS = ("recovery_time",)
INSTANCE_SECONDS = ("max_interruption_time", "lead_time", "ram_dirty_rate")


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _check(raw, keys, where, errors, counts):
    for key in keys:
        value = raw.get(key)
        if value is None:
            continue
        if counts and not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            errors.append("%s: '%s' must be a non-negative integer, got %s" % (where, key, describe(value)))
        elif not counts and not _is_number(value):
            errors.append("%s: '%s' must be a non-negative number, got %s" % (where, key, describe(value)))


def constraint_errors(snapshot):
    """Messages for every bad constraint of a parsed `Snapshot`."""
    errors = []
    for group in snapshot.groups.values():
        where = "group %r" % group.group_id
        _check(group.raw, GROUP_COUNTS, where, errors, counts=True)
        _check(group.raw, GROUP_SECONDS, where, errors, counts=False)
        if group.raw.get("max_instances_per_host") == 0:
            errors.append("%s: 'max_instances_per_host' must be at least 1, got 0" % where)
    for instance in snapshot.instances.values():
        if any(instance.raw.get(key) is not None for key in INSTANCE_SECONDS):
            _check(instance.raw, INSTANCE_SECONDS, "instance %r" % instance.id, errors, counts=False)
    return errors


def check_constraints(snapshot):
    """Raise `InvalidInput` naming every bad constraint."""
    errors = constraint_errors(snapshot)
    if errors:
        raise InvalidInput(errors)


def max_impacted(group):
    """Members of `group` that may be impacted at once; None for no limit."""
    return group.raw.get("max_impacted_members") if group is not None else None


def recovery_time(group):
    return (group.raw.get("recovery_time") or 0) if group is not None else 0


def instance_seconds(instance, key):
    return instance.raw.get(key) or 0
