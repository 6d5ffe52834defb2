"""A session on the test bed judged from Nova's records and what the listeners received.

The same invariants as the simulator's audit, read from the real service:
os-migrations replayed from the servers' first hosts (every host emptied,
no group policy broken at any step), os-services (every host enabled at the
end), and the application's downtime: its active instance (the sample VNFM's
role log) never migrating. Nova stamps its records to the microsecond on
PostgreSQL, with the clock of this machine: the listeners' times compare.
"""

import datetime
import json
import threading
import time

from rolling_maintenance import wsgi_server
from rolling_maintenance.vnfm.tenant_cloud import TenantCloud


def placement(records, server_ids):
    return {s: records.host_of(s) for s in server_ids}


def replay(first_hosts, migrations):
    """Where every server was after each completed migration, in Nova's order."""
    where = dict(first_hosts)
    steps = [dict(where)]
    for migration in sorted(migrations, key=lambda m: (m["updated_at"], m["id"])):
        if migration["status"] not in ("completed", "confirmed"):
            continue
        if migration["instance_uuid"] not in where:
            continue
        assert where[migration["instance_uuid"]] == migration["source_compute"], migration
        where[migration["instance_uuid"]] = migration["dest_compute"]
        steps.append(dict(where))
    return steps


def emptied_hosts(steps, hosts):
    """The hosts that held none of the servers at some step."""
    return {h for h in hosts if any(h not in step.values() for step in steps)}


def broken_groups(steps, members):
    """`[(group, step)]` where two members of an anti-affinity group shared a host."""
    broken = []
    for step in steps:
        for group, servers in members.items():
            placed = [step[s] for s in servers if s in step]
            if len(set(placed)) != len(placed):
                broken.append((group, step))
    return broken


def stamp(text):
    """Nova's UTC timestamp as seconds since the epoch."""
    return datetime.datetime.fromisoformat(text.rstrip("Z")).replace(
        tzinfo=datetime.timezone.utc).timestamp()


def migrating_intervals(migrations):
    """{server: [(start, end)]}: when Nova had each server migrating."""
    found = {}
    for migration in migrations:
        start, end = stamp(migration["created_at"]), stamp(migration["updated_at"])
        found.setdefault(migration["instance_uuid"], []).append((start, max(start, end)))
    return found


def emptying_intervals(migrations):
    """{host: (start, end)}: from the first migration Nova started off each host to
    the end of its last."""
    found = {}
    for migration in migrations:
        start, end = stamp(migration["created_at"]), stamp(migration["updated_at"])
        begun, ended = found.get(migration["source_compute"], (start, end))
        found[migration["source_compute"]] = (min(begun, start), max(ended, end))
    return found


def overlap(first, second):
    """Seconds two `(start, end)` intervals share."""
    return max(0.0, min(first[1], second[1]) - max(first[0], second[0]))


def timeline(records, since):
    """`[(t, {server: host})]`: every server's host after each boot, completed move and
    deletion Nova recorded since `since` (servers deleted meanwhile included; a server
    deleted after it moved hides its migrations, so it counts on its last host)."""
    listed = records.get(f"/servers/detail?all_tenants=1&changes-since={since}", "2.96")["servers"]
    migrations = [m for m in records.migrations(since=since)
                  if m["status"] in ("completed", "confirmed")]
    changes = []
    for server in listed:
        moves = sorted((m for m in migrations if m["instance_uuid"] == server["id"]),
                       key=lambda m: m["updated_at"])
        first = moves[0]["source_compute"] if moves else server["OS-EXT-SRV-ATTR:host"]
        for action in records.actions(server["id"]):
            if action["action"] == "create":
                changes.append((stamp(action["start_time"]), server["id"], first))
            elif action["action"] == "delete":
                changes.append((stamp(action["start_time"]), server["id"], None))
        changes += [(stamp(m["updated_at"]), server["id"], m["dest_compute"]) for m in moves]
    where, steps = {}, []
    for t, server, host in sorted(changes, key=lambda c: c[0]):
        if host is None:
            where.pop(server, None)
        else:
            where[server] = host
        steps.append((t, dict(where)))
    return steps


def at(steps, t):
    """The servers' hosts in effect at time `t`."""
    found = {}
    for when, where in steps:
        if when > t:
            break
        found = where
    return found


def downtime(role_log, migrations, end_t):
    """Seconds during which the VNFM's active instance was migrating."""
    intervals = migrating_intervals(migrations)
    total = 0.0
    for index, (start, server) in enumerate(role_log):
        until = role_log[index + 1][0] if index + 1 < len(role_log) else end_t
        for begin, end in intervals.get(server, []):
            total += max(0.0, min(until, end) - max(start, begin))
    return total


class Inspector:
    """A fault manager subscribed to `maintenance.host` as the admin, as Doctor's is."""

    def __init__(self, clouds_yaml, cloud_name="admin"):
        self.cloud = TenantCloud.from_clouds_yaml(cloud_name, clouds_yaml)
        self.received = []
        self._lock = threading.Lock()
        self._server = wsgi_server.BackgroundServer(self._app, name="inspector")
        self.alarm = None

    def _app(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        traits = {t[0]: t[2] for t in body.get("reason_data", {}).get("event", {}).get("traits", [])}
        with self._lock:
            self.received.append(dict(traits, t=time.time()))
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    def start(self):
        url = self._server.start() + "/"
        self.alarm = self.cloud.subscribe("inspector-maintenance-host", "maintenance.host", url)
        return self

    def stop(self):
        self._server.stop()
        if self.alarm:
            self.cloud.unsubscribe(self.alarm["alarm_id"])

    def host_states(self, session_id):
        """{host: [state, ...]} in the order received, for one session."""
        with self._lock:
            events = [e for e in self.received if e.get("session_id") == session_id]
        found = {}
        for event in events:
            found.setdefault(event["host"], []).append(event["state"])
        return found

    def maintenance_intervals(self, session_id):
        """{host: (IN_MAINTENANCE time, MAINTENANCE_COMPLETE time)} for one session."""
        with self._lock:
            events = [e for e in self.received if e.get("session_id") == session_id]
        began = {e["host"]: e["t"] for e in events if e["state"] == "IN_MAINTENANCE"}
        ended = {e["host"]: e["t"] for e in events if e["state"] == "MAINTENANCE_COMPLETE"}
        return {host: (t, ended.get(host, float("inf"))) for host, t in began.items()}
