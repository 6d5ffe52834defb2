"""How long an application's active instance was out of service.

Zero downtime is the point of the whole exercise, so it is judged from what
the cloud did (the event log, replayed), not from what the workflow says:
the active instance cannot serve while it is not ACTIVE yet or deleted,
while it migrates, and while it sits on a host under maintenance (host work
running). A host disabled in Nova but not yet worked on still runs its
instances.

`role_log` is `[(t, active_instance_id)]` on the events' clock, as the
sample VNFM records it. Time before the first entry does not count: the
application was not up.
"""

from rolling_maintenance.audit.cloud import DELETED, HOST_IN_MAINTENANCE, MIGRATING, NOT_ACTIVE
from rolling_maintenance.audit.replay import replay_log

__all__ = ["DELETED", "HOST_IN_MAINTENANCE", "MIGRATING", "NOT_ACTIVE", "downtime", "unavailable_intervals"]


def _check_role_log(role_log):
    entries = []
    for index, entry in enumerate(role_log):
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            raise ValueError("role_log[%d] must be (t, active_instance_id), got %r" % (index, entry))
        t, server = entry
        if isinstance(t, bool) or not isinstance(t, (int, float)):
            raise ValueError("role_log[%d]: t must be a number, got %r" % (index, t))
        entries.append((float(t), server))
    return sorted(entries, key=lambda item: item[0])


def _merge(intervals):
    merged = []
    for interval in intervals:
        last = merged[-1] if merged else None
        if (last and last["end"] == interval["start"] and last["server"] == interval["server"]
                and last["reasons"] == interval["reasons"]):
            last["end"] = interval["end"]
        else:
            merged.append(interval)
    return merged


def unavailable_intervals(initial, events, role_log, end_t):
    """`[{"start", "end", "server", "reasons"}]`: when the active instance could not serve.

    `initial` is the cloud before the first event (the simulator's state);
    `reasons` lists NOT_ACTIVE, DELETED, MIGRATING, HOST_IN_MAINTENANCE.
    Consecutive stretches with the same instance and reasons are one interval.
    """
    roles = _check_role_log(role_log)
    if isinstance(end_t, bool) or not isinstance(end_t, (int, float)):
        raise ValueError("end_t must be a number, got %r" % (end_t,))
    replay = replay_log(initial, events)
    found = []
    for index, (start, server) in enumerate(roles):
        until = min(roles[index + 1][0] if index + 1 < len(roles) else float(end_t), float(end_t))
        if server not in replay.server_intervals:
            raise ValueError("role_log[%d]: server %r is not in the cloud" % (index, server))
        for interval in replay.server_intervals[server]:
            begin = max(start, interval["start"])
            end = until if interval["end"] is None else min(until, interval["end"])
            if interval["reasons"] and end > begin:
                found.append({"start": begin, "end": end, "server": server,
                              "reasons": list(interval["reasons"])})
    return _merge(found)


def downtime(initial, events, role_log, end_t):
    """Seconds, up to `end_t`, during which the active instance could not serve."""
    return sum(i["end"] - i["start"] for i in unavailable_intervals(initial, events, role_log, end_t))
