"""Move a server off its host in steps that never wait: start, then look.

`migrations.live_migrate` and friends follow a move to its end in one call,
which holds the caller for the whole migration. A workflow that must not
hold a worker while the cloud works starts the move here, and looks again
later: each call reads the cloud once (and confirms a finished cold
migration, which Nova needs to finish it) and says where the move stands.

Phases of `look`:
- `done`: the server is at rest off `source` (`host`) and no migration of it
  that is not in `known` is still open, or it is gone (`host` None).
- `moving`: a migration of the server is under way (the server may already
  run on its destination while Nova finishes the record: `finishing`); for
  a live one, `copy` is its memory `{"copied", "left"}` in bytes as Nova
  shows it (None when it shows none).
- `failed`: a migration of it that is not in `known` ended in failure
  (`migration_id`, `status`, `source`, `dest`).
- `idle`: at rest on `source`, nothing new under way.
"""

from rolling_maintenance.cloud import migrations as m
from rolling_maintenance.cloud.errors import CloudError, translated
from rolling_maintenance.cloud.servers import server_exists

LIVE, COLD, OWN = m.LIVE, m.COLD, "own"
DONE, MOVING, FAILED, IDLE = "done", "moving", "failed", "idle"
_ENDED = m._DONE[LIVE] | m._DONE[COLD] | m._FAILED


def migration_ids(conn, server_id):
    """Ids of every migration record of the server, of either kind."""
    with translated(server=server_id):
        return sorted(str(r.id) for r in conn.compute.migrations(server_id=server_id))


def look(conn, server_id, source, kind, known=()):
    """Where the move of `server_id` off `source` stands (see the module)."""
    server = server_exists(conn, server_id)
    if server is None or server.status in ("DELETED", "SOFT_DELETED"):
        return {"phase": DONE, "host": None}
    at_rest = m._at_rest(server)
    if kind == OWN and at_rest and server.compute_host != source:
        return {"phase": DONE, "host": server.compute_host}
    with translated(server=server_id):
        records = list(conn.compute.migrations(server_id=server_id))
    if kind == COLD and server.status == "VERIFY_RESIZE":
        newest = m._newest(records)
        if newest is not None and newest.status == "finished":
            m._confirm(conn, server_id)
    known = {str(i) for i in known}
    newest = m._newest(r for r in records if str(r.id) not in known)
    if at_rest and server.compute_host != source:
        if newest is not None and newest.status not in _ENDED:
            # Nova runs the server on its destination before the source host has
            # cleaned up and the record says so: the move is not over yet.
            return {"phase": MOVING, "host": server.compute_host, "server_status": server.status,
                    "finishing": True}
        return {"phase": DONE, "host": server.compute_host}
    if at_rest and kind != OWN and newest is not None and newest.status in m._FAILED:
        return {"phase": FAILED, "migration_id": newest.id, "status": newest.status,
                "source": source, "dest": newest.dest_compute, "server_status": server.status}
    if not at_rest:
        return {"phase": MOVING, "host": server.compute_host, "server_status": server.status,
                "copy": memory_copy(conn, server_id) if kind == LIVE else None}
    return {"phase": IDLE, "host": server.compute_host, "server_status": server.status}


def memory_copy(conn, server_id):
    """`{"copied", "left"}` bytes of the live migration of `server_id` under
    way, or None when there is none, Nova does not count its memory, or the
    caller may not see it (a hint for when to look again, never a reason
    to fail)."""
    try:
        with translated(server=server_id):
            running = list(conn.compute.server_migrations(server_id))
    except CloudError as exc:
        if exc.code in ("forbidden", "not_found"):
            return None
        raise
    if not running or running[0].memory_remaining_bytes is None:
        return None
    return {"copied": running[0].memory_processed_bytes or 0, "left": running[0].memory_remaining_bytes}


def start(conn, server_id, kind, target_host=None, block_migration="auto"):
    """Send the move (live or cold) to Nova; it returns at once.

    A request Nova refuses with 400 after writing a failed migration record
    (a live migration below microversion 2.34) raises `migration_failed`,
    as the record's own failure would.
    """
    known = {r.id for r in m._records(conn, server_id, kind)}

    def request():
        if kind == LIVE:
            conn.compute.live_migrate_server(server_id, host=target_host,
                                             block_migration=block_migration)
            return
        try:
            conn.compute.migrate_server(server_id, host=target_host)
        except ValueError as exc:
            raise CloudError("unsupported", str(exc),
                             {"server": server_id, "target_host": target_host}) from exc

    server = m._get(conn, server_id)
    m._start(conn, kind, server_id, server.compute_host, target_host, request, known)


def refused_by_scheduler(conn, server_id, source):
    """The failed live migration was the scheduler's refusal (see `migrations`)."""
    return m.refused_by_scheduler(conn, server_id, source)


def failure(server_id, looked, target_host=None, reason=None):
    """The CloudError `migration_failed` of a failed look."""
    message = reason or "migration of server %s from %s ended in %s" % (
        server_id, looked["source"], looked["status"])
    return CloudError("migration_failed", message, {
        "server": server_id, "source": looked["source"],
        "dest": looked.get("dest") or target_host, "migration_id": looked["migration_id"],
        "status": looked["status"]})
