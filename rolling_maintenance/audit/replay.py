"""The one event applier: the simulator's log applied to the cloud, event by event.

What each event type means is written here once; every verdict (`session`,
`availability`, `one_host`) reads the cloud through it. It starts from the
cloud as it was before the first event (`Cloud`, or the simulator's state),
applies the events in time order, and refuses a log that does not fit that
cloud (a server or host it does not know, a move that was never started).
"""

import collections

from rolling_maintenance.audit import events as ev
from rolling_maintenance.audit.cloud import ACTIVE, BUILDING, ERROR, Cloud, Server

DISABLED = "disabled"
WORK = "work"

# The end of a move: where the server then is alone, and the move's outcome.
_SETTLED = {ev.MIGRATION_CONFIRMED: ("dest", "confirmed"), ev.MIGRATION_REVERTED: ("source", "reverted"),
            ev.MIGRATION_FAILED: ("source", "failed")}

# Events that change nothing the audit follows.
IGNORED = frozenset((ev.SERVICE_DOWN, ev.SERVICE_UP, ev.ALARM_CREATED, ev.ALARM_DELETED,
                      ev.FAULT_INJECTED, ev.FAULT_CLEARED))


class Replay:
    """The cloud after the events applied so far, and what happened as intervals.

    `server_intervals[server]`: `[{"start", "end", "host", "reasons"}]`, where
    the server was and why it could not serve (no reasons: it served); the
    last has `end` None while it still holds. `host_intervals[host]`:
    `[{"kind": DISABLED | WORK, "start", "end", "label"}]`. `moves`: every
    migration started in the log, `{"server", "kind", "source", "dest",
    "start", "end", "outcome"}`, outcome None while under way, then
    "finished", "confirmed", "reverted" or "failed".
    """

    def __init__(self, cloud):
        self.cloud = cloud
        self.server_intervals = collections.defaultdict(list)
        self.host_intervals = collections.defaultdict(list)
        self.moves = []
        self._open_moves = {}
        for host in sorted(cloud.disabled):
            self._open_host(host, DISABLED, None)
        for host, label in sorted(cloud.working.items()):
            self._open_host(host, WORK, label)
        for server_id in sorted(cloud.servers):
            self._track(server_id)

    # -- applying ---------------------------------------------------------
    def apply(self, event, where="event"):
        """Apply one event (already checked to be a dict with a type and a numeric t)."""
        kind = event["type"]
        if kind in IGNORED:
            return
        handler = _HANDLERS.get(kind)
        if handler is None:
            raise ValueError("%s: unknown event type %r" % (where, kind))
        self.cloud.now = max(self.cloud.now, float(event["t"]))
        touched = handler(self, event, where)
        for server_id in sorted(touched):
            self._track(server_id)

    def _server(self, event, where):
        server_id = event.get("server")
        if server_id not in self.cloud.servers:
            state = "was deleted before" if server_id in self.cloud.deleted else "is not in the cloud"
            raise ValueError("%s (%s): server %r %s" % (where, event["type"], server_id, state))
        return self.cloud.servers[server_id]

    def _host(self, event, field, where, optional=False):
        host = event.get(field)
        if host is None and optional:
            return None
        if host not in self.cloud.capacity:
            raise ValueError("%s (%s): %s %r is not a host of the cloud" % (where, event["type"], field, host))
        return host

    def _migration(self, event, where):
        server = self._server(event, where)
        if server.id not in self.cloud.migrations:
            raise ValueError("%s (%s): no move of server %r is under way" % (where, event["type"], server.id))
        return server

    def _on_server_created(self, event, where):
        server_id = event.get("server")
        if server_id in self.cloud.servers or server_id in self.cloud.deleted:
            raise ValueError("%s (%s): server %r exists already" % (where, event["type"], server_id))
        host = self._host(event, "host", where, optional=True)
        self.cloud.servers[server_id] = Server(
            server_id, host, event.get("vcpus") or 0, event.get("ram_mb") or 0,
            event.get("group"), event.get("project"), status=BUILDING)
        return {server_id}

    def _on_server_active(self, event, where):
        server = self._server(event, where)
        host = self._host(event, "host", where, optional=True)
        server.status = ACTIVE
        if host is not None:
            self.cloud.settle(server.id, host)
        return {server.id}

    def _on_server_error(self, event, where):
        server = self._server(event, where)
        server.status = ERROR
        return {server.id}

    def _on_server_deleted(self, event, where):
        server = self._server(event, where)
        self.cloud.migrations.pop(server.id, None)
        if self._open_moves.get(server.id, {}).get("outcome") is None:
            self._end_move(server.id, event, "failed")
        self._open_moves.pop(server.id, None)
        del self.cloud.servers[server.id]
        self.cloud.deleted.add(server.id)
        return {server.id}

    def _on_migration_started(self, event, where):
        server = self._server(event, where)
        source = self._host(event, "source", where)
        dest = self._host(event, "dest", where, optional=True)
        self.cloud.start_migration(server.id, event.get("kind"), source, dest, event["t"])
        move = {"server": server.id, "kind": event.get("kind"), "source": source, "dest": dest,
                "start": event["t"], "end": None, "outcome": None}
        self.moves.append(move)
        self._open_moves[server.id] = move
        return {server.id}

    def _on_migration_finished(self, event, where):
        server = self._migration(event, where)
        dest = self._host(event, "dest", where)
        if event.get("kind") == "cold":
            server.host = dest
            self.cloud.migrations[server.id].landed = True
            self._end_move(server.id, event, "finished", keep_open=True)
        else:
            self.cloud.settle(server.id, dest)
            self._end_move(server.id, event, "finished")
        return {server.id}

    def _on_migration_settled(self, event, where):
        """Confirmed: on its target alone; reverted or failed: back on its source alone."""
        server = self._migration(event, where)
        field, outcome = _SETTLED[event["type"]]
        self.cloud.settle(server.id, self._host(event, field, where))
        self._end_move(server.id, event, outcome)
        return {server.id}

    def _on_service_disabled(self, event, where):
        host = self._host(event, "host", where)
        if host not in self.cloud.disabled:
            self.cloud.disabled.add(host)
            self._open_host(host, DISABLED, None)
        return set()

    def _on_service_enabled(self, event, where):
        host = self._host(event, "host", where)
        if host in self.cloud.disabled:
            self.cloud.disabled.discard(host)
            self._close_host(host, DISABLED)
        return set()

    def _on_host_work_started(self, event, where):
        host = self._host(event, "host", where)
        if host in self.cloud.working:
            raise ValueError("%s (%s): work on %s is under way already" % (where, event["type"], host))
        self.cloud.working[host] = event.get("label")
        self._open_host(host, WORK, event.get("label"))
        return self._servers_on(host)

    def _on_host_work_finished(self, event, where):
        host = self._host(event, "host", where)
        if host not in self.cloud.working:
            raise ValueError("%s (%s): no work on %s is under way" % (where, event["type"], host))
        del self.cloud.working[host]
        self._close_host(host, WORK)
        return self._servers_on(host)

    # -- history ----------------------------------------------------------
    def _servers_on(self, host):
        return {s.id for s in self.cloud.servers.values() if s.host == host}

    def _end_move(self, server_id, event, outcome, keep_open=False):
        move = self._open_moves.get(server_id) if keep_open else self._open_moves.pop(server_id, None)
        if move is not None:
            move["outcome"] = outcome
            if move["end"] is None:
                move["end"] = event["t"]

    def _open_host(self, host, kind, label):
        self.host_intervals[host].append({"kind": kind, "start": self.cloud.now, "end": None, "label": label})

    def _close_host(self, host, kind):
        interval = next(i for i in reversed(self.host_intervals[host]) if i["kind"] == kind)
        interval["end"] = self.cloud.now

    def _track(self, server_id):
        """Close the server's interval if where it is or why it cannot serve changed."""
        now = self.cloud.now
        server = self.cloud.servers.get(server_id)
        host = server.host if server is not None else None
        reasons = self.cloud.unavailable(server_id)
        intervals = self.server_intervals[server_id]
        last = intervals[-1] if intervals else None
        if last is not None and (last["host"], last["reasons"]) == (host, reasons):
            return
        if last is not None:
            if last["start"] == now:
                intervals.pop()
                last = intervals[-1] if intervals else None
                if last is not None and (last["host"], last["reasons"]) == (host, reasons):
                    last["end"] = None
                    return
            else:
                last["end"] = now
        intervals.append({"start": now, "end": None, "host": host, "reasons": reasons})

    # -- rules' helpers ---------------------------------------------------
    def maintained(self, host):
        """How many times `host` was disabled and enabled again so far."""
        return sum(1 for i in self.host_intervals.get(host, ())
                   if i["kind"] == DISABLED and i["end"] is not None)


_HANDLERS = {
    ev.SERVER_CREATED: Replay._on_server_created,
    ev.SERVER_ACTIVE: Replay._on_server_active,
    ev.SERVER_ERROR: Replay._on_server_error,
    ev.SERVER_DELETED: Replay._on_server_deleted,
    ev.MIGRATION_STARTED: Replay._on_migration_started,
    ev.MIGRATION_FINISHED: Replay._on_migration_finished,
    ev.MIGRATION_CONFIRMED: Replay._on_migration_settled,
    ev.MIGRATION_REVERTED: Replay._on_migration_settled,
    ev.MIGRATION_FAILED: Replay._on_migration_settled,
    ev.SERVICE_DISABLED: Replay._on_service_disabled,
    ev.SERVICE_ENABLED: Replay._on_service_enabled,
    ev.HOST_WORK_STARTED: Replay._on_host_work_started,
    ev.HOST_WORK_FINISHED: Replay._on_host_work_finished,
}
FOLLOWED = frozenset(_HANDLERS)


def ordered(events):
    """`[(index, event)]` in time order (the log's order among equal times),
    each checked to be a dict with a type and a numeric t."""
    if not isinstance(events, (list, tuple)):
        raise ValueError("events must be a list, got %s" % type(events).__name__)
    for index, event in enumerate(events):
        if not isinstance(event, dict) or "type" not in event:
            raise ValueError("events[%d] must be a dict with a type, got %r" % (index, event))
        t = event.get("t")
        if isinstance(t, bool) or not isinstance(t, (int, float)):
            raise ValueError("events[%d] (%s) has no numeric t" % (index, event["type"]))
    return sorted(enumerate(events), key=lambda item: item[1]["t"])


def as_cloud(initial):
    """A `Cloud` as given, or read from the simulator's state."""
    return initial if isinstance(initial, Cloud) else Cloud.from_sim_state(initial)


def walk(initial, events):
    """Apply `events` to the cloud `initial` was; yield `(event, replay)` after each.

    The same `Replay` is yielded each time, changed in place: read it before
    the next step.
    """
    replay = Replay(as_cloud(initial))
    for index, event in ordered(events):
        replay.apply(event, "events[%d]" % index)
        yield event, replay


def replay_log(initial, events):
    """The `Replay` after every event."""
    replay = Replay(as_cloud(initial))
    for index, event in ordered(events):
        replay.apply(event, "events[%d]" % index)
    return replay
