"""What a session has done to each host, kept as one Mistral environment per host.

A variable a task publishes is lost with the task when it fails or is rerun
(a rerun task reads its input from the workflow's first path into it), so
the fact `continue` must never redo lives here, written by the action that
did the work: that a host is maintained and back in service, and when the
project of each instance that left it was told (INSTANCE_ACTION_DONE),
from which a group member that comes after it counts its group's recovery
time. One environment per host, written only by that host's own
workflow, so parallel hosts never overwrite each other's record. Read back with `read_session`. Beside them, the progress the last
`decide` published (`record_progress`). The host plug-ins that succeeded
need no record of ours: Mistral keeps each run's end
(`executions.plugins_succeeded`).
"""

from rolling_maintenance.mistral import environments

PREFIX = "maintenance-session-"


def progress_name(session_id):
    return PREFIX + session_id


def _session_prefix(session_id):
    return "%s%s-host-" % (PREFIX, session_id)


def record_name(session_id, host):
    return _session_prefix(session_id) + host


def empty_record(session_id, host):
    return {"session_id": session_id, "host": host, "maintained_at": None, "told": {}}


def read_host(client, session_id, host):
    """The record of `host` in the session; an empty one when nothing was done."""
    variables = environments.variables_of(environments.get(client, record_name(session_id, host)))
    return dict(empty_record(session_id, host), **(variables or {}))


def _write(client, record):
    environments.put(client, record_name(record["session_id"], record["host"]), record,
                     "rolling maintenance session %s: host %s" % (record["session_id"], record["host"]))


def record_maintained(client, session_id, host, at):
    """Note that `host` is maintained and back (at time `at`, ISO 8601); True if this call noted it."""
    record = read_host(client, session_id, host)
    if record["maintained_at"]:
        return False
    record["maintained_at"] = at
    _write(client, record)
    return True


def told_at(client, session_id, host, instance):
    """When the project of `instance` was told that it left `host` (epoch
    seconds), or None while it was not."""
    return read_host(client, session_id, host)["told"].get(instance)


def record_told(client, session_id, host, instance, at):
    """Note that the project of `instance` was told, at `at` (epoch seconds),
    that it left `host`; a time already noted stays. Returns the time noted."""
    record = read_host(client, session_id, host)
    if instance in record["told"]:
        return record["told"][instance]
    record["told"] = dict(record["told"], **{instance: at})
    _write(client, record)
    return at


def record_progress(client, session_id, progress):
    """Keep the progress the last `decide` published (its counts of rounds,
    the instances it moved), for a rerun `decide` to start from."""
    environments.put(client, progress_name(session_id), {"session_id": session_id, "progress": progress},
                     "rolling maintenance session %s: progress" % session_id)


def read_progress(client, session_id):
    """The progress the last `decide` of the session kept, or None."""
    variables = environments.variables_of(environments.get(client, progress_name(session_id)))
    return (variables or {}).get("progress")


def read_session(client, session_id):
    """`{host: record}` for every host the session has a record of."""
    found = {}
    prefix = _session_prefix(session_id)
    for environment in environments.with_prefix(client, prefix):
        variables = environments.variables_of(environment)
        if variables and variables.get("session_id") == session_id:
            host = environment.name[len(prefix):]
            found[host] = dict(empty_record(session_id, host), **variables)
    return found
