"""When the cloud was busy with a session's work, from the event log.

A round's wall time is the cloud's work (migrations, host work) plus the
waits the projects asked for (a group's recovery time after a member moved)
plus everything else: the orchestration (Mistral's turnarounds, polls, the
replies). The benchmark reports that last part per round.
"""

from rolling_maintenance.audit import events as ev

_STARTS = {ev.MIGRATION_STARTED: "migration_id", ev.HOST_WORK_STARTED: "host"}
_ENDS = {ev.MIGRATION_FINISHED: "migration_id", ev.MIGRATION_FAILED: "migration_id",
         ev.MIGRATION_CONFIRMED: "migration_id", ev.MIGRATION_REVERTED: "migration_id",
         ev.HOST_WORK_FINISHED: "host"}
_MOVED = (ev.MIGRATION_FINISHED, ev.MIGRATION_CONFIRMED)


def work_intervals(events, recovery_s=None, end_t=None):
    """`[(start_t, end_t)]` of the cloud's work and of the recovery waits.

    `recovery_s`: `{server: seconds}` a server's group needs after it moved
    (on the event log's clock). Work still running is counted until `end_t`.
    """
    recovery_s = recovery_s or {}
    open_work, spans = {}, []
    for event in events:
        kind = event["type"]
        if kind in _STARTS:
            open_work[(_STARTS[kind], event[_STARTS[kind]])] = event["t"]
        elif kind in _ENDS:
            started = open_work.pop((_ENDS[kind], event[_ENDS[kind]]), None)
            if started is not None:
                spans.append((started, event["t"]))
            if kind in _MOVED and recovery_s.get(event.get("server")):
                spans.append((event["t"], event["t"] + recovery_s[event["server"]]))
    if end_t is not None:
        spans.extend((started, end_t) for started in open_work.values())
    return spans


def covered(spans, start, end):
    """Seconds of [start, end) inside the union of `spans`."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in spans if b > start and a < end)
    total, reach = 0.0, start
    for a, b in clipped:
        if b > reach:
            total += b - max(a, reach)
            reach = b
    return total
