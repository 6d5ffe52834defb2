"""Move one server off its host, and know for sure whether it moved.

Nova answers 202 to a migration request even when the migration will fail,
and the server then simply stays ACTIVE on its source. So each move is
followed to its end: the migration record (os-migrations for the server,
the one created by our request) must reach its final status, and the server
must be back at rest on another host. Every move is idempotent: a server
already gone from `source_host` (or already on `target_host`) is left alone,
and a migration already under way (a retry after a crash) is followed
instead of started twice. A request answered 502 or 504 (a gateway that gave
up waiting) may have been carried out: the move is looked for before it is
sent again.

A doomed live migration ends the same way whatever microversion it was sent
at: from 2.34 Nova answers 202 and the record ends in `error`; below 2.34
(openstacksdk sends 2.30) Nova schedules while the request waits and answers
400, but writes the failed record all the same. Both are `migration_failed`.

Right after a live migration, Nova's scheduler may still count the instance
on the host it left, until that host's next instance sync
(`[DEFAULT] scheduler_instance_sync_interval`, 120 s). Anti-affinity then
refuses another member of the group on that host, although the host is free.
A live migration refused by the scheduler (its failing instance-action event
is the conductor's, and the server never left) is therefore tried again for
up to `refused_retry_s`, each refusal logged with Nova's reason.
"""

import logging

from rolling_maintenance.cloud import waiting
from rolling_maintenance.cloud.errors import CloudError, translated
from rolling_maintenance.cloud.servers import server_exists

LIVE = "live"
COLD = "cold"
_RECORD_TYPE = {LIVE: "live-migration", COLD: "migration"}
_DONE = {LIVE: frozenset({"completed"}), COLD: frozenset({"finished", "confirmed"})}
_FAILED = frozenset({"error", "failed", "cancelled", "reverted"})
_MOVING = {LIVE: frozenset({"MIGRATING"}), COLD: frozenset({"RESIZE", "VERIFY_RESIZE"})}
_IN_FLIGHT = _MOVING[LIVE] | _MOVING[COLD]
_BLOCK_MIGRATION = ("auto", True, False)
# Answers after which Nova may or may not have taken a move (a gateway stopped waiting
# for it): the move is looked for before it is sent again.
_UNKNOWN_OUTCOME = frozenset((502, 504))
# Nova's default scheduler_instance_sync_interval (120 s), plus a margin for the sync to land.
REFUSED_RETRY_S = 150
REFUSED_RETRY_INTERVAL_S = 10
LOG = logging.getLogger(__name__)


def live_migrate(conn, server_id, target_host=None, block_migration="auto", timeout=600,
                 poll=1.0, source_host=None, clock=None, refused_retry_s=REFUSED_RETRY_S,
                 refused_retry_interval_s=REFUSED_RETRY_INTERVAL_S):
    """Live-migrate `server_id` (to `target_host`, or where the scheduler says) and wait.

    Returns `{"server","source","dest","type":"live","migration_id","duration_s","changed"}`;
    `changed` is False (and `migration_id` None) when there was nothing to do.
    A migration the scheduler refuses is tried again every
    `refused_retry_interval_s` for `refused_retry_s` (0: never), within `timeout`.
    Errors: `migration_failed` (details: server, source, dest, migration_id,
    status), `timeout`, `not_found`, `conflict`.
    """
    if block_migration not in _BLOCK_MIGRATION:
        raise CloudError("bad_request",
                         f"block_migration must be 'auto', True or False, got {block_migration!r}")

    def start():
        conn.compute.live_migrate_server(server_id, host=target_host,
                                         block_migration=block_migration)

    deadline = waiting.Deadline(timeout, poll, clock)
    retries = waiting.Deadline(min(refused_retry_s, timeout), refused_retry_interval_s, clock)
    while True:
        try:
            return _migrate(conn, LIVE, server_id, target_host, source_host, start, deadline)
        except CloudError as exc:
            if (exc.code != "migration_failed" or retries.expired()
                    or not refused_by_scheduler(conn, server_id, exc.details["source"])):
                raise
            LOG.warning("%s; the scheduler may not know yet that an instance left %s (its view "
                        "lags a live migration until the host's next instance sync): trying "
                        "again in %s s, for at most %.0f s more", exc.message,
                        target_host or "the candidate hosts", refused_retry_interval_s,
                        retries.ends - retries.clock.now())
            retries.pause()


def cold_migrate(conn, server_id, target_host=None, timeout=600, poll=1.0, source_host=None,
                 clock=None):
    """Cold-migrate `server_id`, confirm the resize Nova leaves it in, and wait until it is at rest.

    Same result and errors as `live_migrate`, with `"type": "cold"`. An
    explicit `target_host` needs compute microversion 2.56 (openstacksdk sends
    `{"migrate": {"host": ...}}` then, and raises before sending anything on
    an older cloud, which gives CloudError `unsupported` here).
    """
    def start():
        try:
            conn.compute.migrate_server(server_id, host=target_host)
        except ValueError as exc:
            raise CloudError("unsupported", str(exc),
                             {"server": server_id, "target_host": target_host}) from exc

    return _migrate(conn, COLD, server_id, target_host, source_host, start,
                    waiting.Deadline(timeout, poll, clock))


def wait_server_gone_or_moved(conn, server_id, source_host, timeout=600, poll=1.0, clock=None,
                              known_failures=None):
    """Wait for a VNFM's own action: the server deleted, or at rest off `source_host`.

    Returns `{"server", "outcome": "deleted"|"moved", "host"}` (`host` None
    when deleted); CloudError `timeout` when neither happens in time. Given
    `known_failures` (ids from `failed_migration_ids` taken before the move
    was started), CloudError `move_failed` as soon as another migration of
    the server has failed: the move waited for will not come, and waiting on
    would only hold the session up.
    """
    deadline = waiting.Deadline(timeout, poll, clock)
    while True:
        server = server_exists(conn, server_id)
        if server is None or server.status in ("DELETED", "SOFT_DELETED"):
            return {"server": server_id, "outcome": "deleted", "host": None}
        if server.compute_host != source_host and _at_rest(server):
            return {"server": server_id, "outcome": "moved", "host": server.compute_host}
        if known_failures is not None and failed_migration_ids(conn, server_id) - set(known_failures):
            raise CloudError("move_failed",
                             f"the move of server {server_id} off {source_host} failed",
                             {"server": server_id, "source": source_host, "status": server.status})
        if deadline.expired():
            raise CloudError(
                "timeout",
                f"server {server_id} still on {source_host} (status {server.status}) "
                f"after {timeout} s",
                {"server": server_id, "source": source_host, "host": server.compute_host,
                 "status": server.status})
        deadline.pause()


def failed_migration_ids(conn, server_id):
    """Ids of the server's migrations that failed, of either kind."""
    with translated(server=server_id):
        return {m.id for m in conn.compute.migrations(server_id=server_id) if m.status in _FAILED}


def _migrate(conn, kind, server_id, target_host, source_host, start, deadline):
    server = _get(conn, server_id)
    source = server.compute_host
    if _at_rest(server) and ((source_host and source != source_host)
                             or (target_host and source == target_host)):
        return _result(server_id, source, source, kind, None, 0.0, changed=False)
    if server.status in _IN_FLIGHT - _MOVING[kind]:
        raise CloudError("conflict",
                         f"server {server_id} is {server.status}: another kind of move is "
                         f"under way, a {kind} migration cannot start",
                         {"server": server_id, "source": source, "status": server.status})
    earlier = _records(conn, server_id, kind)
    known = {m.id for m in earlier}
    if server.status in _MOVING[kind]:
        running = _newest(earlier)
        if running is not None:
            known.discard(running.id)
    else:
        _start_once(conn, kind, server_id, source, target_host, start, known, deadline)
    return _follow(conn, kind, server_id, source, target_host, known, deadline)


def _start_once(conn, kind, server_id, source, target_host, start, known, deadline):
    """Start the move, and only once: after an answer that leaves it unknown whether Nova
    took it (502, 504), look for the move before sending it again, within `deadline`."""
    while True:
        try:
            return _start(conn, kind, server_id, source, target_host, start, known)
        except CloudError as exc:
            if exc.details.get("status") not in _UNKNOWN_OUTCOME or deadline.expired():
                raise
            LOG.warning("%s migration of server %s: %s; looking whether Nova took it before "
                        "asking again", kind, server_id, exc.message)
        deadline.pause()
        if _under_way(conn, kind, server_id, source, known):
            return None


def _under_way(conn, kind, server_id, source, known):
    """Whether a move of ours started after all: the server is moving or has moved, or a
    migration record we had not seen exists."""
    server = _get(conn, server_id)
    if server.status in _MOVING[kind] or server.compute_host != source:
        return True
    return any(m.id not in known for m in _records(conn, server_id, kind))


def _start(conn, kind, server_id, source, target_host, start, known):
    """Send the move; a 400 that left a failed migration record is that migration's failure."""
    try:
        with translated(server=server_id, source=source, target_host=target_host):
            start()
    except CloudError as exc:
        if exc.code != "bad_request":
            raise
        failed = _newest(m for m in _records(conn, server_id, kind)
                         if m.id not in known and m.status in _FAILED)
        if failed is None:
            raise
        raise _failure(kind, server_id, source, target_host, failed, failed.status,
                       f"{kind} migration of server {server_id} from {source} refused: "
                       f"{exc.message}") from exc


def refused_by_scheduler(conn, server_id, source):
    """True when the server is at rest on `source` and its last live migration failed in
    the conductor (scheduling or pre-checks), not in a compute host."""
    server = server_exists(conn, server_id)
    if server is None or server.compute_host != source or not _at_rest(server):
        return False
    with translated(server=server_id):
        actions = [a for a in conn.compute.server_actions(server_id)
                   if a.action == "live-migration"]
        if not actions:
            return False
        newest = max(actions, key=lambda a: (a.start_time or "", a.request_id))
        events = conn.compute.get_server_action(newest.request_id, server_id).events or []
    return any(e.event.startswith("conductor_") and e.result == "Error" for e in events)


def _follow(conn, kind, server_id, source, target_host, known, deadline):
    migration = None
    while True:
        found = _newest(m for m in _records(conn, server_id, kind) if m.id not in known)
        migration = found or migration
        server = _get(conn, server_id)
        status = migration.status if migration is not None else None
        if status in _FAILED:
            raise _failure(kind, server_id, source, target_host, migration, status)
        if kind == COLD and status == "finished" and server.status == "VERIFY_RESIZE":
            _confirm(conn, server_id)
        elif (status in _DONE[kind] and _at_rest(server)
              and server.compute_host != source):
            if target_host and server.compute_host != target_host:
                raise _failure(kind, server_id, source, target_host, migration, status,
                               f"server landed on {server.compute_host}, not {target_host}")
            return _result(server_id, source, server.compute_host, kind, migration.id,
                           deadline.elapsed(), changed=True)
        if deadline.expired():
            if status in _DONE[kind] and server.compute_host == source:
                raise _failure(kind, server_id, source, target_host, migration, status,
                               f"migration says {status} but the server is still on {source}")
            raise CloudError(
                "timeout",
                f"{kind} migration of server {server_id} from {source} not done after "
                f"{deadline.elapsed():.1f} s (migration {status}, server {server.status})",
                {"server": server_id, "source": source, "dest": target_host,
                 "migration_id": migration.id if migration is not None else None,
                 "status": status, "server_status": server.status})
        deadline.pause()


def _confirm(conn, server_id):
    """Confirm the resize; a 409 means Nova is not there yet, and the next poll retries."""
    try:
        with translated(server=server_id):
            conn.compute.confirm_server_resize(server_id)
    except CloudError as exc:
        if exc.code != "conflict":
            raise


def _get(conn, server_id):
    server = server_exists(conn, server_id)
    if server is None:
        raise CloudError("not_found", f"no server {server_id}", {"server": server_id})
    return server


def _records(conn, server_id, kind):
    with translated(server=server_id):
        return [m for m in conn.compute.migrations(server_id=server_id)
                if m.migration_type == _RECORD_TYPE[kind]]


def _newest(records):
    records = list(records)
    if not records:
        return None
    return max(records, key=lambda m: (m.created_at or "", str(m.id)))


def _at_rest(server):
    return server.status not in _IN_FLIGHT and not server.task_state


def _failure(kind, server_id, source, target_host, migration, status, reason=None):
    dest = (migration.dest_compute if migration is not None else None) or target_host
    message = reason or f"{kind} migration of server {server_id} from {source} ended in {status}"
    return CloudError("migration_failed", message, {
        "server": server_id, "source": source, "dest": dest,
        "migration_id": migration.id if migration is not None else None, "status": status})


def _result(server_id, source, dest, kind, migration_id, duration, changed):
    return {"server": server_id, "source": source, "dest": dest, "type": kind,
            "migration_id": migration_id, "duration_s": round(duration, 3), "changed": changed}
