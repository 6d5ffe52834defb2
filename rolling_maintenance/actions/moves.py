"""Empty hosts by the plan, one short step at a time.

A host's moves wait for other hosts' moves (their `after` instances), for
a group's recovery time and for each migration to end: minutes on a real
cloud. An action that sleeps through them holds one of Mistral's executor
workers, and the embedded executor runs the actions a with-items task
starts one after the other: the next ones then got no heartbeat and were
failed. So no action here waits. `maintenance.move_step` looks at the
cloud, starts what may start and returns at once, saying how long to wait
before the next look; the workflow `_empty_host` waits that long with
`wait-before` (a Mistral timer, no worker held) and calls it again with
the progress it returned. A live migration under way is looked at again
when its copy should have ended, so the next move starts soon after.
"""

import logging
import math
import time

from rolling_maintenance import cloud
from rolling_maintenance import notify
from rolling_maintenance.actions import base
from rolling_maintenance.cloud import migrations
from rolling_maintenance.cloud import move_steps
from rolling_maintenance.mistral import client as mistral_client
from rolling_maintenance.mistral import session_records
from rolling_maintenance.planner.placement.moves import moves_by_host, seconds_to_turn
from rolling_maintenance.planner.schedule.eta import next_look_s, seconds_left
from rolling_maintenance.workflow import contract

# Seconds between two looks at a move under way whose end cannot be foreseen
# (wait-before counts whole seconds; see `_next_look`).
POLL_S = 1
_KIND = {contract.LIVE_MIGRATE: move_steps.LIVE, contract.MIGRATE: move_steps.COLD,
         contract.OWN_ACTION: move_steps.OWN}
LOG = logging.getLogger(__name__)


class _ToldRecords:
    """When each instance's project was told it left its host, as the
    session's host records keep it (`session_records.told_at`): durable, so a
    step rerun after its process died reads the moment a dead task noted.
    The Mistral client is made at the first use: most steps need none."""

    def __init__(self, context, session_id):
        self._context = context
        self._session_id = session_id
        self._client = None

    def _mistral(self):
        if self._client is None:
            self._client = mistral_client.for_action(self._context)
        return self._client

    def told_at(self, host, instance):
        return session_records.told_at(self._mistral(), self._session_id, host, instance)

    def record(self, host, instance, at):
        return session_records.record_told(self._mistral(), self._session_id, host, instance, at)


class MovesByHostAction(base.CloudAction):
    """Split a step's moves by host, each move with the action its project
    chose: `[{"host", "moves", "awaited"}]` (see `moves_by_host`). Each
    host's workflow then carries only its own part of the plan."""

    def __init__(self, session, hosts, moves, replies=None):
        self.session = session
        self.hosts = hosts
        self.moves = moves
        self.replies = replies

    def run(self, context):
        try:
            return moves_by_host(self.moves, self.hosts, self.replies, self.session["migration_type"])
        except ValueError as exc:
            return base.error_result("invalid_reply", str(exc), {"hosts": self.hosts})


class MoveStepAction(base.CloudAction):
    """One look at the moves off `host`; returns the new `progress`, which
    the next step is given.

    The first step (no `progress`) takes the host out of the scheduler (an
    instance a VNFM re-creates or scales out must not land on it) and notes
    the migration records of every instance its moves involve, so that only
    a new failure counts. Then, in the plan's order, each move seen done is
    told to its project (INSTANCE_ACTION_DONE) and the moment noted in the
    host's session record; the first move not done is followed, or started
    once the projects of the instances it comes after were told (their
    source hosts' records say when) and their group's recovery time has
    passed since. `progress["done"]` ends the loop; `progress["wait_s"]`
    says when to look again.

    Idempotent: every step reads the cloud before it changes it. A move
    already done is not started again, a migration under way is followed,
    not sent twice.
    """

    def __init__(self, session, host, moves, awaited=None, progress=None, session_id=None):
        self.session = session
        self.host = host
        self.moves = moves
        self.awaited = awaited or {}
        self.progress = progress
        self.session_id = session_id

    def run_with(self, conn, context):
        session_id = self.session_id or base.session_id_of(context)
        progress = dict(self.progress or self._begin(conn, session_id))
        records = _ToldRecords(context, session_id)
        now = time.time()
        finished = {r["server"] for r in progress["finished"]}
        for move in self.moves:
            if move["instance"] in finished:
                continue
            wait_s = self._step(conn, move, progress, records, now)
            if wait_s is not None:
                return dict(progress, done=False, wait_s=int(math.ceil(wait_s)))
            self._done(move, progress, records, session_id, context)
        return dict(progress, done=True, wait_s=0, current=None)

    def _begin(self, conn, session_id):
        cloud.disable_host(conn, self.host, contract.disable_reason(session_id))
        instances = sorted({m["instance"] for m in self.moves} | set(self.awaited))
        return {"known": {i: move_steps.migration_ids(conn, i) for i in instances},
                "told_at": {}, "finished": [], "current": None, "waiting_since": None}

    def _step(self, conn, move, progress, records, now):
        """Advance `move`: None once it is done, else the seconds to wait."""
        instance, kind = move["instance"], _KIND[move["type"]]
        current = progress["current"] if (progress["current"] or {}).get("instance") == instance else None
        known = current["known"] if current else progress["known"].get(instance, [])
        looked = move_steps.look(conn, instance, self.host, kind, known)
        if looked["phase"] == move_steps.DONE:
            progress["current"] = None
            progress["finished"].append({"server": instance, "source": self.host,
                                         "dest": looked["host"], "type": move["type"]})
            return None
        if looked["phase"] == move_steps.FAILED:
            return self._failed(conn, move, current, looked, now)
        if current and current.get("sent"):
            limit = self.session["own_action_timeout" if kind == move_steps.OWN else "migration_timeout"]
            if now - current["since"] > limit:
                raise cloud.CloudError("timeout", "%s of server %s off %s not done after %s s (%s)" % (
                    move["type"], instance, self.host, limit, looked.get("server_status")),
                    {"server": instance, "source": self.host, "dest": move.get("to")})
            return self._next_look(current, looked, now)
        if looked["phase"] == move_steps.MOVING:
            # Under way already (a step lost with its process sent it): follow it.
            progress["current"] = {"instance": instance, "sent": True, "since": now, "known": known}
            return POLL_S
        wait_s = self._turn(conn, move, progress, records, now)
        if wait_s:
            return wait_s
        if current and current.get("not_before", 0) > now:
            return current["not_before"] - now
        sent = {"instance": instance, "sent": True, "since": now,
                "refused_since": (current or {}).get("refused_since")}
        if kind == move_steps.OWN:
            progress["current"] = dict(sent, known=known)
            return POLL_S
        progress["current"] = dict(sent, known=move_steps.migration_ids(conn, instance))
        try:
            move_steps.start(conn, instance, kind, target_host=move["to"])
        except cloud.CloudError as exc:
            if exc.code != "migration_failed":
                raise
            looked = {"status": exc.details["status"], "migration_id": exc.details["migration_id"],
                      "source": self.host, "dest": exc.details.get("dest")}
            return self._failed(conn, move, progress["current"], looked, now, exc)
        return POLL_S

    def _next_look(self, current, looked, now):
        """Seconds until the next look at a move under way: when a live
        migration's copy should have ended at the pace seen since the last
        look (0: at once), at once while Nova finishes a move whose server
        already runs on its destination, else POLL_S."""
        if looked.get("finishing"):
            wait_s, current["quick_looks"] = next_look_s(0, current.get("quick_looks", 0), POLL_S)
            return wait_s
        copy = looked.get("copy")
        if copy is None:
            return POLL_S
        copy = dict(copy, at=now)
        wait_s, quick_looks = next_look_s(seconds_left(current.get("copy"), copy),
                                          current.get("quick_looks", 0), POLL_S)
        current.update(copy=copy, quick_looks=quick_looks)
        return wait_s

    def _turn(self, conn, move, progress, records, now):
        """Seconds until the move's turn (0: now); fails when the move of an
        instance it comes after failed (not when the scheduler refused it:
        its host sends it again).

        An instance's group recovers once its project was told it moved, not
        once it is seen moved: its own host tells the project at its next
        look, which may come later. So for an instance seen moved the step
        reads when its host told the project, from the host's session record
        (only then, and until it says so), and keeps it in `told_at`."""
        for instance_id in move.get("after") or ():
            if instance_id in progress["told_at"]:
                continue
            awaited = self.awaited[instance_id]
            looked = move_steps.look(conn, instance_id, awaited["from"], _KIND[awaited["type"]],
                                     progress["known"].get(instance_id, []))
            if looked["phase"] == move_steps.DONE:
                told_at = records.told_at(awaited["from"], instance_id)
                if told_at is not None:
                    progress["told_at"][instance_id] = told_at
            elif (looked["phase"] == move_steps.FAILED
                  and not move_steps.refused_by_scheduler(conn, instance_id, awaited["from"])):
                raise cloud.CloudError("move_failed", "the move of server %s off %s failed" % (
                    instance_id, awaited["from"]), {"server": instance_id, "source": awaited["from"],
                                                   "status": looked["status"]})
        wait_s = seconds_to_turn(move, progress["told_at"], now)
        if wait_s is None:
            progress["waiting_since"] = progress["waiting_since"] or now
            limit = self.session["migration_timeout"] * (1 + len(self.moves))
            if now - progress["waiting_since"] > limit:
                raise cloud.CloudError("timeout", "server %s waited %s s for %s to move and its "
                                       "project to be told" % (
                    move["instance"], limit, ", ".join(move["after"])),
                    {"server": move["instance"], "after": move["after"]})
            return POLL_S
        progress["waiting_since"] = None
        return wait_s

    def _failed(self, conn, move, current, looked, now, error=None):
        """A failed move ends the host's moves, unless the scheduler refused a
        live migration for a view it has not updated yet: then it is sent
        again a while later (see `migrations`)."""
        instance = move["instance"]
        refused_since = (current or {}).get("refused_since") or now
        if (_KIND[move["type"]] == move_steps.LIVE and current
                and now - refused_since < migrations.REFUSED_RETRY_S
                and move_steps.refused_by_scheduler(conn, instance, self.host)):
            LOG.warning("live migration of server %s to %s refused by the scheduler; its view may "
                        "lag a live migration: trying again in %s s", instance, move["to"],
                        migrations.REFUSED_RETRY_INTERVAL_S)
            current.update(sent=False, refused_since=refused_since,
                           not_before=now + migrations.REFUSED_RETRY_INTERVAL_S,
                           known=sorted(set(current["known"]) | {str(looked["migration_id"])}))
            return migrations.REFUSED_RETRY_INTERVAL_S
        raise error or move_steps.failure(instance, looked, move.get("to"))

    def _done(self, move, progress, records, session_id, context):
        """Tell the project its instance moved, unless the host's record says
        it was told already; then note when. Told before noted: a step that
        dies between the two tells it again rather than never."""
        instance = move["instance"]
        told_at = records.told_at(self.host, instance)
        if told_at is None:
            notify.send_project_event(
                session_id=session_id, project_id=move["project_id"],
                state=contract.INSTANCE_ACTION_DONE, instance_ids=instance,
                metadata=self.session["metadata"], event_type=self.session["event_type"],
                context=context)
            told_at = records.record(self.host, instance, time.time())
        progress["told_at"][instance] = told_at
