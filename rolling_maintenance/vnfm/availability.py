"""How long the application's active instance was out of service.

Zero downtime is the point of the whole exercise, so it is judged from what
the cloud did (the simulator's event log), not from what the workflow says:
the active instance is unavailable while it is not ACTIVE yet or deleted,
while it migrates, and while it sits on a host under maintenance (host work
running). A host disabled in Nova but not yet worked on still runs its
instances: disabling only keeps the scheduler from placing new ones there.

`role_log` is `[(t, active_instance_id)]` on the same clock as the events.
Times before the first role entry do not count: the application was not up.
"""

NOT_ACTIVE = "not active"
DELETED = "deleted"
MIGRATING = "migrating"
HOST_IN_MAINTENANCE = "host in maintenance"

_ROLE = "role"


def _check_role_log(role_log):
    entries = []
    for index, entry in enumerate(role_log):
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            raise ValueError("role_log[%d] must be (t, active_instance_id), got %r" % (index, entry))
        t, server = entry
        if not isinstance(t, (int, float)):
            raise ValueError("role_log[%d]: t must be a number, got %r" % (index, t))
        entries.append((float(t), server))
    return sorted(entries, key=lambda item: item[0])


def _check_events(events):
    for index, event in enumerate(events):
        if not isinstance(event, dict) or "type" not in event:
            raise ValueError("events[%d] must be a dict with a type, got %r" % (index, event))
        if not isinstance(event.get("t"), (int, float)):
            raise ValueError("events[%d] (%s) has no numeric t" % (index, event["type"]))


class _Cloud:
    """The state of the cloud that matters to availability, replayed event by event."""

    def __init__(self, events):
        self.status = {}
        self.host = {}
        self.migrating = set()
        self.working = set()
        self._infer_initial_state(events)

    def _infer_initial_state(self, events):
        """What held before the log began: read back from each thing's first event."""
        seen_hosts = set()
        for event in events:
            kind = event["type"]
            server = event.get("server")
            if server is not None and server not in self.status:
                self.status[server] = "absent" if kind == "server.created" else "active"
                self.host[server] = event.get("host") if kind.startswith("server.") else event.get("source")
            if kind in ("host.work.started", "host.work.finished") and event.get("host") not in seen_hosts:
                seen_hosts.add(event.get("host"))
                if kind == "host.work.finished":
                    self.working.add(event.get("host"))

    def apply(self, event):
        kind = event["type"]
        server = event.get("server")
        if kind == "server.created":
            self.status[server] = "building"
            self.host[server] = event.get("host") or self.host.get(server)
        elif kind == "server.active":
            self.status[server] = "active"
            self.host[server] = event.get("host") or self.host.get(server)
        elif kind == "server.deleted":
            self.status[server] = "deleted"
            self.migrating.discard(server)
        elif kind == "migration.started":
            self.migrating.add(server)
        elif kind == "migration.finished":
            self.migrating.discard(server)
            self.host[server] = event.get("dest") or self.host.get(server)
        elif kind == "migration.failed":
            self.migrating.discard(server)
        elif kind == "host.work.started":
            self.working.add(event.get("host"))
        elif kind == "host.work.finished":
            self.working.discard(event.get("host"))

    def reasons(self, server):
        """Why `server` cannot serve right now (empty when it can)."""
        found = []
        status = self.status.get(server, "active")
        if status == "deleted":
            found.append(DELETED)
        elif status != "active":
            found.append(NOT_ACTIVE)
        if server in self.migrating:
            found.append(MIGRATING)
        host = self.host.get(server)
        if host is not None and host in self.working:
            found.append(HOST_IN_MAINTENANCE)
        return found


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


def unavailable_intervals(role_log, events, end_t):
    """`[{"start", "end", "server", "reasons"}]`: when the active instance could not serve.

    Consecutive stretches with the same instance and the same reasons are one
    interval; `reasons` lists NOT_ACTIVE, DELETED, MIGRATING, HOST_IN_MAINTENANCE.
    """
    roles = _check_role_log(role_log)
    _check_events(events)
    if not roles:
        return []
    if not isinstance(end_t, (int, float)):
        raise ValueError("end_t must be a number, got %r" % (end_t,))
    ordered = sorted(events, key=lambda event: event["t"])
    cloud = _Cloud(ordered)
    changes = [(float(event["t"]), 0, event) for event in ordered]
    changes += [(t, 1, (_ROLE, server)) for t, server in roles]
    changes.sort(key=lambda change: (change[0], change[1]))
    active = None
    intervals = []
    now = None
    for t, _, change in changes + [(float(end_t), 2, None)]:
        start, end = now, min(t, float(end_t))
        if active is not None and start is not None and end > start:
            reasons = cloud.reasons(active)
            if reasons:
                intervals.append({"start": start, "end": end, "server": active, "reasons": reasons})
        if change is None or t >= end_t:
            break
        if isinstance(change, tuple):
            active = change[1]
        else:
            cloud.apply(change)
        now = t
    return _merge(intervals)


def downtime(role_log, events, end_t):
    """Seconds, up to `end_t`, during which the active instance could not serve."""
    return sum(interval["end"] - interval["start"]
               for interval in unavailable_intervals(role_log, events, end_t))
