"""Empty one host by the plan: move each instance as its project asked."""

import time

from rolling_maintenance import cloud
from rolling_maintenance import notify
from rolling_maintenance.actions import base
from rolling_maintenance.planner.placement.moves import moves_for_host
from rolling_maintenance.workflow import contract

# How often a migration's record is read while it runs: the next instance
# starts as soon as the previous one is done.
POLL_S = 0.5


class MoveInstancesAction(base.CloudAction):
    """Take `host` out of the scheduler and carry out the moves off it, one
    at a time (Nova migrates one instance per source host at a time by
    default), each once the moves it comes after are done, telling the
    project INSTANCE_ACTION_DONE after each.

    Idempotent: an instance already gone from `host` is not moved again, so a
    rerun after a failure or a crash carries on with what is left.
    """

    def __init__(self, session, host, moves, replies=None, session_id=None):
        self.session = session
        self.host = host
        self.moves = moves
        self.replies = replies
        self.session_id = session_id

    def run_with(self, conn, context):
        session_id = self.session_id or base.session_id_of(context)
        try:
            planned = moves_for_host(self.moves, self.host, self.replies, self.session["migration_type"])
        except ValueError as exc:
            return base.error_result("invalid_reply", str(exc), {"host": self.host})
        # Take the host out of the scheduler first, as a drain cordons a node:
        # an instance a VNFM re-creates itself (OWN_ACTION) or scales out
        # must not land on the host being emptied.
        cloud.disable_host(conn, self.host, contract.disable_reason(session_id))
        awaited = {i for move in planned for i in move.get("after") or ()}
        # The failures before the round, so that only a new one ends a wait.
        known_failures = {i: cloud.failed_migration_ids(conn, i) for i in sorted(awaited)}
        sources = {m["instance"]: m["from"] for m in self.moves if m["instance"] in awaited}
        done = []
        for move in planned:
            self._wait_for_turn(conn, move, sources, known_failures)
            done.append(self._move(conn, move))
            notify.send_project_event(
                session_id=session_id, project_id=move["project_id"],
                state=contract.INSTANCE_ACTION_DONE, instance_ids=move["instance"],
                metadata=self.session["metadata"],
                event_type=self.session["event_type"], context=context)
        return {"host": self.host, "moves": done}

    def _wait_for_turn(self, conn, move, sources, known_failures):
        """Wait until the instances this move comes `after` have left their
        hosts, then for their group's recovery: so no group has more
        members impacted at once than it allows, whatever the real times.
        A move it waits for that fails ends the wait with that error."""
        after = move.get("after") or []
        if not after:
            return
        timeout = self.session["migration_timeout"] * (1 + len(self.moves))
        for instance_id in after:
            cloud.wait_server_gone_or_moved(conn, instance_id, sources[instance_id], timeout, poll=POLL_S,
                                            known_failures=known_failures[instance_id])
        if move.get("recovery_s"):
            time.sleep(move["recovery_s"])

    def _move(self, conn, move):
        timeout = self.session["migration_timeout"]
        if move["type"] == contract.LIVE_MIGRATE:
            return cloud.live_migrate(conn, move["instance"], target_host=move["to"],
                                      source_host=self.host, timeout=timeout, poll=POLL_S)
        if move["type"] == contract.MIGRATE:
            return cloud.cold_migrate(conn, move["instance"], target_host=move["to"],
                                      source_host=self.host, timeout=timeout, poll=POLL_S)
        return cloud.wait_server_gone_or_moved(
            conn, move["instance"], self.host, self.session["own_action_timeout"],
            poll=POLL_S)
