"""Live and cold migrations, with Nova's statuses and its habit of accepting
first and failing later.

Both kinds always leave a migration record, even when no host is valid. A
live migration asked for below microversion 2.34 is scheduled while the
request waits: no valid host is a 400 (the record is written in `error` all
the same); from 2.34, and for cold migrations, it is 202 and the record goes
to `error` later. A refusal by the scheduler fails in the conductor (its
instance-action event is `conductor_*`), a failure on a host in the compute.
The target is chosen (and its resources claimed) when the request is
accepted; the server counts on both hosts until the move ends. After a live
migration the scheduler still sees the server on the host it left for
`scheduler_stale_view_s` (see ModelCore.scheduler_hosts_of).

Live: accepted -> queued -> preparing -> running -> completed; one at a time
per source host (Nova's max_concurrent_live_migrations), the others queued.
The server is ACTIVE on its destination `post_live_migration_s` before its
record says `completed` (and its claim on the source is released).
Cold: pre-migrating -> migrating -> post-migrating -> finished (the server is
VERIFY_RESIZE on the target) -> confirming -> confirmed, or reverting -> reverted.
Failures end in status 'error' with the server ACTIVE on its source.
"""

import dataclasses
import uuid

from rolling_maintenance.audit import events
from rolling_maintenance.sim import errors, scheduler
from rolling_maintenance.sim.model import records

# Fractions of a migration's duration spent in each phase.
LIVE_SCHEDULING = 0.05
LIVE_PREPARING = 0.15
COLD_PHASES = ((0.1, "migrating", "resize_migrating"),
               (0.7, "post-migrating", "resize_migrated"),
               (0.9, "post-migrating", "resize_finish"))
IN_PROGRESS = ("queued", "preparing", "running", "post-migrating")


def memory_copied(migration, now):
    """The share of a live migration's memory copied at `now`: 0 until it
    runs, then growing at an even pace to 1 at its end, as libvirt reports
    its pre-copy through Nova's server migrations."""
    if migration.kind != "live" or migration.status != "running":
        return 0.0
    copying = migration.duration * (1 - LIVE_SCHEDULING - LIVE_PREPARING)
    return min(1.0, (now - migration.updated) / copying) if copying > 0 else 1.0
# The instance-action event a failed move ends with: (kind, refused by the scheduler).
_FAILED_EVENT = {("live", True): "conductor_live_migrate_instance",
                 ("live", False): "compute_live_migration",
                 ("cold", True): "conductor_migrate_server",
                 ("cold", False): "compute_prep_resize"}


def _check_state(server, operation, vm_states, task_states=(None,)):
    """Nova's instance state guard: 409 naming the attribute that blocks."""
    if server.vm_state not in vm_states:
        raise errors.Conflict("Cannot '%s' instance %s while it is in vm_state %s"
                              % (operation, server.id, server.vm_state))
    if server.task_state not in task_states:
        raise errors.Conflict("Cannot '%s' instance %s while it is in task_state %s"
                              % (operation, server.id, server.task_state))


class MigrationOps:

    def _pick_target(self, server, requested, forced=False):
        """(target, reason it will fail or None) for a move of `server`."""
        placement = self.placement_for(server, source=server.host)
        if requested is None:
            target = scheduler.select(self.host_views(), placement)
            if target is None:
                return None, "No valid host was found. There are not enough hosts available."
            return target, None
        view = next(v for v in self.host_views() if v.name == requested)
        if requested == server.host:
            return None, "Unable to migrate %s to current host (%s)." % (server.id, requested)
        if forced:
            # A forced target skips the scheduler's filters (disabled host,
            # group policy) but the resource claim must still fit, as Nova's.
            reason = scheduler.rejection(
                dataclasses.replace(view, enabled=True),
                scheduler.Placement(placement.vcpus, placement.ram_mb, source=server.host))
        else:
            reason = scheduler.rejection(view, placement)
        if reason is not None:
            return None, "No valid host was found. %s" % reason
        return requested, None

    def _accept(self, actor, server, kind, requested, forced=False, synchronous=False):
        target, doomed = self._pick_target(server, requested, forced)
        if target is None and synchronous and not forced:
            self._refuse_now(actor, server, kind, doomed)
        if doomed is None and self.faults.migration_errors.get(server.host, 0) > 0:
            self.faults.migration_errors[server.host] -= 1
            doomed = "Injected fault: migration from %s fails" % server.host
        duration = (self.timing.live_migration_s(server.flavor.ram_mb) if kind == "live"
                    else self.timing.cold_migration_s(server.flavor.ram_mb))
        migration = records.Migration(
            id=next(self._migration_seq), uuid=str(uuid.uuid4()), server_id=server.id,
            project_id=server.project_id, user_id=actor.user_id, kind=kind,
            source=server.host, dest=target, status="accepted" if kind == "live" else "pre-migrating",
            created=self.now, updated=self.now, duration=duration, doomed=doomed,
            request_id=actor.request_id)
        self.migrations[migration.id] = migration
        server.migration_id = migration.id
        server.task_state = "migrating" if kind == "live" else "resize_prep"
        server.updated = self.now
        if target is not None:
            server.claims.add(target)
        self.new_action(server, "live-migration" if kind == "live" else "migrate", actor)
        self.emit(events.MIGRATION_STARTED, **self._event_fields(migration))
        return migration

    def _refuse_now(self, actor, server, kind, reason):
        """Scheduled while the request waits and no host is valid: Nova writes the record
        in `error`, fails the action in the conductor and answers 400."""
        migration = records.Migration(
            id=next(self._migration_seq), uuid=str(uuid.uuid4()), server_id=server.id,
            project_id=server.project_id, user_id=actor.user_id, kind=kind,
            source=server.host, dest=None, status="error", created=self.now,
            updated=self.now, duration=0.0, doomed=reason, request_id=actor.request_id,
            closed=True)
        self.migrations[migration.id] = migration
        action = self.new_action(server, "live-migration" if kind == "live" else "migrate", actor)
        self.finish_action(action, "conductor_migrate_server", ok=False)
        self.emit(events.MIGRATION_STARTED, **self._event_fields(migration))
        self.emit(events.MIGRATION_FAILED, reason=reason, **self._event_fields(migration))
        raise errors.BadRequest(reason)

    def _event_fields(self, migration):
        return {"migration_id": migration.id, "server": migration.server_id,
                "project": migration.project_id, "kind": migration.kind,
                "source": migration.source, "dest": migration.dest}

    def _set_status(self, migration, status):
        migration.status = status
        migration.updated = self.now

    def _action_of(self, migration):
        return next(a for a in reversed(self.actions) if a.request_id == migration.request_id
                    and a.server_id == migration.server_id)

    def _check_target_exists(self, host):
        """Nova answers an unknown target host with 400, before accepting."""
        if host is not None and host not in self.hosts:
            raise errors.BadRequest("Compute host %s could not be found." % host)

    # live -------------------------------------------------------------------

    def live_migrate(self, actor, server_id, host=None, force=False, synchronous=False):
        """`synchronous`: scheduled while the request waits (Nova below microversion 2.34)."""
        server = self.server(server_id, actor)
        _check_state(server, "os-migrateLive", ("active", "paused"))
        self._check_target_exists(host)
        if not self.hosts[server.host].service.up:
            raise errors.BadRequest("Compute service of %s is unavailable at this time." % server.host)
        migration = self._accept(actor, server, "live", host, forced=force,
                                 synchronous=synchronous)
        scheduling = migration.duration * LIVE_SCHEDULING
        if migration.dest is None:
            self.after(scheduling, lambda: self._fail(migration, migration.doomed))
        else:
            self.after(scheduling, lambda: self._queue_live(migration))
        return migration

    def _queue_live(self, migration):
        if migration.closed:
            return
        self._set_status(migration, "queued")
        self.live_queue[migration.source].append(migration)
        self._start_queued(migration.source)

    def _start_queued(self, host):
        queue, running = self.live_queue, self.live_running
        limit = self.timing.max_concurrent_live_migrations
        while queue[host] and (limit == 0 or len(running[host]) < limit):
            migration = queue[host].popleft()
            running[host].add(migration.id)
            self._set_status(migration, "preparing")
            work = migration.duration * (1 - LIVE_SCHEDULING)
            self.after(migration.duration * LIVE_PREPARING,
                       lambda m=migration: m.closed or self._set_status(m, "running"))
            self.after(work, lambda m=migration: self._end_live(m))

    def _release_slot(self, migration):
        queue, running = self.live_queue, self.live_running
        if migration in queue[migration.source]:
            queue[migration.source].remove(migration)
        if migration.id in running[migration.source]:
            running[migration.source].discard(migration.id)
            self._start_queued(migration.source)

    def _ending(self, migration):
        """The server of a migration that ends now, or None when it ended
        already or was doomed to fail (then it fails here)."""
        if migration.closed:
            return None
        if migration.doomed:
            self._fail(migration, migration.doomed)
            return None
        return self.servers[migration.server_id]

    def _end_live(self, migration):
        server = self._ending(migration)
        if server is None:
            return
        server.host = migration.dest
        server.task_state = None
        server.updated = self.now
        self.after(self.timing.post_live_migration_s, lambda: self._complete_live(migration, server))

    def _complete_live(self, migration, server):
        """Nova runs the server on its destination (ACTIVE) before the source host has
        done its part (its resource audit); the record stays `running` until then."""
        if migration.closed:
            return
        migration.closed = True
        self._set_status(migration, "completed")
        server.claims = {migration.dest}
        server.migration_id = None
        self.left_host(server, migration.source)
        self.finish_action(self._action_of(migration), "compute_live_migration", ok=True,
                           host=migration.source)
        self.emit(events.MIGRATION_FINISHED, **self._event_fields(migration))
        self._release_slot(migration)

    # cold -------------------------------------------------------------------

    def cold_migrate(self, actor, server_id, host=None):
        server = self.server(server_id, actor)
        _check_state(server, "migrate", ("active", "stopped"))
        self._check_target_exists(host)
        if host is not None and host == server.host:
            raise errors.BadRequest("Cannot migrate to the host where the server exists.")
        migration = self._accept(actor, server, "cold", host)
        first = migration.duration * COLD_PHASES[0][0]
        if migration.dest is None:
            self.after(first, lambda: self._fail(migration, migration.doomed))
            return migration
        for fraction, status, task_state in COLD_PHASES:
            self.after(migration.duration * fraction,
                       lambda s=status, ts=task_state: self._cold_phase(migration, s, ts))
        self.after(migration.duration, lambda: self._end_cold(migration))
        return migration

    def _cold_phase(self, migration, status, task_state):
        if migration.closed:
            return
        self._set_status(migration, status)
        server = self.servers[migration.server_id]
        server.task_state = task_state
        server.updated = self.now

    def _end_cold(self, migration):
        server = self._ending(migration)
        if server is None:
            return
        self._set_status(migration, "finished")
        server.host = migration.dest
        server.vm_state = "resized"
        server.task_state = None
        server.updated = self.now
        self.finish_action(self._action_of(migration), "compute_finish_resize", ok=True,
                           host=migration.dest)
        self.emit(events.MIGRATION_FINISHED, **self._event_fields(migration))

    def confirm_resize(self, actor, server_id):
        server = self.server(server_id, actor)
        _check_state(server, "confirmResize", ("resized",))
        migration = self.migrations[server.migration_id]
        if migration.status != "finished":
            raise errors.BadRequest("Instance has not been resized.")
        action = self.new_action(server, "confirmResize", actor)
        self._set_status(migration, "confirming")
        self.after(self.timing.confirm_s, lambda: self._end_confirm(migration, action))
        return migration

    def _end_confirm(self, migration, action):
        """Nova shows `confirming` (the server still VERIFY_RESIZE) until the source
        host has cleaned up, then `confirmed`."""
        if migration.closed:
            return
        server = self.servers[migration.server_id]
        migration.closed = True
        self._set_status(migration, "confirmed")
        server.claims = {server.host}
        server.vm_state = "active"
        server.migration_id = None
        server.updated = self.now
        self.finish_action(action, "compute_confirm_resize", ok=True, host=migration.source)
        self.emit(events.MIGRATION_CONFIRMED, **self._event_fields(migration))

    def revert_resize(self, actor, server_id):
        server = self.server(server_id, actor)
        _check_state(server, "revertResize", ("resized",))
        migration = self.migrations[server.migration_id]
        action = self.new_action(server, "revertResize", actor)
        self._set_status(migration, "reverting")
        server.task_state = "resize_reverting"
        server.updated = self.now
        self.after(self.timing.migration_min_s, lambda: self._end_revert(migration, action))
        return migration

    def _end_revert(self, migration, action):
        if migration.closed:
            return
        server = self.servers[migration.server_id]
        migration.closed = True
        self._set_status(migration, "reverted")
        server.host = migration.source
        server.claims = {migration.source}
        server.vm_state = "active"
        server.task_state = None
        server.migration_id = None
        server.updated = self.now
        self.finish_action(action, "compute_finish_revert_resize", ok=True, host=migration.source)
        self.emit(events.MIGRATION_REVERTED, **self._event_fields(migration))

    # failure ----------------------------------------------------------------

    def _fail(self, migration, reason):
        if migration.closed:
            return
        server = self.servers[migration.server_id]
        migration.closed = True
        self._set_status(migration, "error")
        server.claims = {migration.source}
        server.host = migration.source
        server.vm_state = "active"
        server.task_state = None
        server.migration_id = None
        server.updated = self.now
        event = _FAILED_EVENT[migration.kind, migration.dest is None]
        self.finish_action(self._action_of(migration), event, ok=False, host=migration.source)
        self.emit(events.MIGRATION_FAILED, reason=reason, **self._event_fields(migration))
        if migration.kind == "live":
            self._release_slot(migration)

    def abandon_migration(self, migration, reason):
        """The server went away mid-move: the record ends in error."""
        if migration.closed:
            return
        migration.closed = True
        self._set_status(migration, "error")
        self.emit(events.MIGRATION_FAILED, reason=reason, **self._event_fields(migration))
        if migration.kind == "live":
            self._release_slot(migration)

    def in_progress_live(self, server_id):
        """What GET /servers/{id}/migrations shows: live moves under way."""
        return [m for m in self.migrations.values()
                if m.server_id == server_id and m.kind == "live" and m.status in IN_PROGRESS]
