"""The session's progress as the planner reads it: scope, hosts done, rounds.

`hosts` empty means every host of the snapshot is in scope. Hosts named here
must exist, and a maintained host must be in scope: a mistake in either would
otherwise make the planner move instances onto the wrong hosts.
"""

from rolling_maintenance.planner.model import fields
from rolling_maintenance.planner.model.errors import InvalidInput
from rolling_maintenance.planner.model.snapshot import MOVE_TYPES, parse_snapshot
from rolling_maintenance.workflow.session_input import DEFAULTS as SESSION_DEFAULTS


class Progress:
    """`scope`: in-scope host names, sorted; `maintained`: in the order done."""

    __slots__ = (
        "default_migration_type",
        "given_hosts",
        "maintained",
        "max_scale_in_rounds",
        "scale_in_rounds",
        "scope",
    )

    def __init__(self, given_hosts, scope, maintained, scale_in_rounds, max_scale_in_rounds,
                 default_migration_type):
        self.given_hosts = given_hosts
        self.scope = scope
        self.maintained = maintained
        self.scale_in_rounds = scale_in_rounds
        self.max_scale_in_rounds = max_scale_in_rounds
        self.default_migration_type = default_migration_type

    def to_dict(self):
        return {
            "hosts": list(self.given_hosts),
            "maintained": list(self.maintained),
            "scale_in_rounds": self.scale_in_rounds,
            "max_scale_in_rounds": self.max_scale_in_rounds,
            "default_migration_type": self.default_migration_type,
        }


def _host_names(raw, key, errors):
    """A list of distinct host names from `progress[key]`."""
    names, seen = [], set()
    for index, name in enumerate(fields.list_field(raw, key, "progress", errors)):
        if not fields.is_name(name):
            errors.append("progress.%s[%d]: must be a host name, got %s" % (key, index, fields.describe(name)))
        elif name in seen:
            errors.append("progress.%s[%d]: host %r is listed twice" % (key, index, name))
        else:
            seen.add(name)
            names.append(name)
    return names


def _scope_and_maintained(raw, all_hosts, errors):
    given = _host_names(raw, "hosts", errors)
    maintained = _host_names(raw, "maintained", errors)
    errors.extend("progress.hosts: %r is not a host of the snapshot" % name
                  for name in given if name not in all_hosts)
    scope = set(given) if given else set(all_hosts)
    errors.extend("progress.maintained: %r is not one of the session's hosts" % name
                  for name in maintained if name not in scope)
    return given, sorted(scope), maintained


def read_progress(raw, snapshot):
    """`(Progress, [])` or `(None, errors)`, checked against a `Snapshot`."""
    if not isinstance(raw, dict):
        return None, ["progress: must be an object, got %s" % type(raw).__name__]
    errors = []
    given, scope, maintained = _scope_and_maintained(raw, snapshot.hosts, errors)
    rounds = fields.count_field(raw, "scale_in_rounds", "progress", errors, default=0)
    max_rounds = fields.count_field(raw, "max_scale_in_rounds", "progress", errors,
                                    default=SESSION_DEFAULTS["max_scale_in_rounds"])
    default_type = fields.choice_field(raw, "default_migration_type", MOVE_TYPES, "progress", errors,
                                       default=SESSION_DEFAULTS["migration_type"])
    if errors:
        return None, errors
    return Progress(given, scope, maintained, rounds, max_rounds, default_type), []


def parse_progress(raw, snapshot):
    """A `Progress` for a `Snapshot`; raises `InvalidInput` naming every problem."""
    progress, errors = read_progress(raw, snapshot)
    if errors:
        raise InvalidInput(errors)
    return progress


def validate_progress(progress, snapshot):
    """Every problem of a progress dict against a snapshot dict; [] when fine."""
    try:
        return read_progress(progress, parse_snapshot(snapshot))[1]
    except InvalidInput as exc:
        return exc.errors

