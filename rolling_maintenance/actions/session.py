"""Actions that steer a session: check its input, its projects, its next step."""

import datetime
import logging

from mistral_lib import actions

from rolling_maintenance import cloud
from rolling_maintenance import notify
from rolling_maintenance.actions import base
from rolling_maintenance.mistral import client as mistral_client
from rolling_maintenance.mistral import constraints as mistral_constraints
from rolling_maintenance.mistral import executions, session_records
from rolling_maintenance.planner.strategy.next_step import plan_next
from rolling_maintenance.workflow import contract, failure_reason, session_input, session_step

LOG = logging.getLogger(__name__)


class ValidateSessionAction(actions.Action):
    """Check the whole input before anything changes; name every bad field, and
    every older session that holds one of its hosts (the older session wins).

    `session_input` is the execution's input (`execution().input`: Mistral
    has filled in the workbook's defaults); its schema and defaults are
    `workflow.session_input`'s.
    """

    def __init__(self, session_input=None):
        self.session_input = session_input

    def run(self, context):
        raw = {} if self.session_input is None else self.session_input
        fields, errors = session_input.read_fields(raw)
        if errors:
            return base.error_result("invalid_input", "; ".join(errors), {"errors": errors})
        try:
            conn = cloud.connect(context)
            hosts = {h["name"] for h in cloud.list_compute_hosts(conn)}
            client = mistral_client.for_action(context)
            known_workflows, known_actions = executions.classify_plugins(
                client, [a["plugin"] for a in fields["actions"]])
            older = executions.sessions_holding_hosts(client, before=base.session_id_of(context))
        except cloud.CloudError as exc:
            return actions.Result(error=exc.to_dict())
        session, errors = session_input.validate_session_input(
            fields, hosts, known_workflows, known_actions,
            datetime.datetime.now(datetime.timezone.utc))
        errors += session_input.overlapping_sessions(fields["hosts"], older)
        if errors:
            return base.error_result("invalid_input", "; ".join(errors), {"errors": errors})
        return {"session": session, "progress": session_step.initial_progress()}


class CheckProjectsAction(base.CloudAction):
    """MAINTENANCE: which projects have instances in scope, and can we talk
    to them? A project without an Aodh event alarm for the event type cannot
    answer; the session fails naming them, unless the input says
    `unsubscribed: migrate`, where the admin moves their instances unasked."""

    def __init__(self, session, session_id=None):
        self.session = session
        self.session_id = session_id

    def run_with(self, conn, context):
        session = self.session
        snapshot = cloud.snapshot(conn)
        by_project = session_step.projects_in_scope(snapshot, session["hosts"])
        subscribed = cloud.subscribed_projects(conn, session["event_type"])
        unsubscribed = sorted(p for p in by_project if p not in subscribed)
        if unsubscribed and session["unsubscribed"] != "migrate":
            return base.error_result(
                "unsubscribed_projects",
                "project(s) not subscribed to %s with an Aodh event alarm: %s" % (
                    session["event_type"], ", ".join(unsubscribed)),
                {"projects": unsubscribed})
        progress = session_step.initial_progress()
        progress["unsubscribed"] = unsubscribed
        session_id = self.session_id or base.session_id_of(context)
        notify.send_session_event(
            session_id=session_id, state=contract.MAINTENANCE, percent_done=0, hosts_done=0,
            hosts_total=len(session["hosts"]), reason=None, context=context)
        return {
            "ask": [p for p in by_project if p not in unsubscribed],
            "unsubscribed": unsubscribed,
            "instances_by_project": by_project,
            "progress": progress,
        }


class PlanNextAction(base.CloudAction):
    """Ask the planner for the next state on a fresh snapshot of the cloud
    with the projects' constraints (from the constraints API) and the hosts
    other sessions hold out of the targets (`held_elsewhere`), and announce
    the state to the admin (`maintenance.session`). The hosts maintained come
    from the session's records, not from the published `progress` alone:
    a rerun `decide` is handed the progress of the session's start."""

    def __init__(self, session, progress, session_id=None):
        self.session = session
        self.progress = progress
        self.session_id = session_id

    def run_with(self, conn, context):
        session_id = self.session_id or base.session_id_of(context)
        client = mistral_client.for_action(context)
        progress = session_step.durable_progress(
            self.progress, session_records.read_session(client, session_id),
            session_records.read_progress(client, session_id))
        snapshot, _counts = mistral_constraints.constrained_snapshot(
            cloud.snapshot(conn), client, base.project_id_of(context))
        snapshot = session_step.held_elsewhere(
            snapshot, executions.sessions_holding_hosts(client), session_id)
        decision = plan_next(snapshot, session_step.planner_progress(self.session, progress, snapshot))
        step = session_step.workflow_step(decision, self.session, progress)
        notify.send_session_event(
            session_id=session_id, state=step["state"],
            percent_done=step["percent_done"], hosts_done=step["hosts_done"],
            hosts_total=step["hosts_total"], reason=step["reason"], context=context)
        session_records.record_progress(client, session_id, step["progress"])
        return step


class SessionFailedAction(actions.Action):
    """MAINTENANCE_FAILED: find why, tell the admin, and return the reason.

    It never fails itself: when Mistral cannot say which task failed, the
    reason says so; when the admin cannot be told (no Aodh, no message bus),
    that is logged and returned as `notified.error`, and the session still
    ends with its reason.
    """

    def __init__(self, session=None, progress=None):
        self.session = session
        self.progress = progress

    def run(self, context):
        session_id = base.session_id_of(context)
        try:
            failures = [f for f in executions.failed_tasks(mistral_client.for_action(context),
                                                           session_id)
                        if f["task"] != contract.MAINTENANCE_FAILED_TASK]
            reason = failure_reason.describe_failure(failures)
        except Exception as exc:  # the reason must come out whatever Mistral answers
            LOG.warning("Could not read the failed tasks of session %s: %s", session_id, exc)
            failures = []
            reason = "the session failed; its failed tasks could not be read from Mistral: %s" % exc
        session = self.session or {"hosts": []}
        progress = self._progress(context, session_id)
        notified = notify.try_send(
            notify.send_session_event,
            session_id=session_id, state=contract.MAINTENANCE_FAILED,
            percent_done=session_step.percent_done(session, progress),
            hosts_done=len(progress["maintained"]), hosts_total=len(session["hosts"]),
            reason=reason, context=context)
        return {"reason": reason, "failures": failures, "notified": notified}

    def _progress(self, context, session_id):
        """The progress with the hosts from the session's records; the
        published one when Mistral cannot tell (the reason matters more)."""
        try:
            records = session_records.read_session(mistral_client.for_action(context), session_id)
        except Exception as exc:  # the reason must come out whatever Mistral answers
            LOG.warning("Could not read the records of session %s: %s", session_id, exc)
            return self.progress or session_step.initial_progress()
        return session_step.durable_progress(self.progress, records)


class CancelSessionAction(base.CloudAction):
    """Cancel a session and give back every host it took out of service.

    The hosts are found by the reason the session wrote when it disabled
    them (`maintenance <session_id>`), so hosts disabled for other reasons
    stay as they are.
    """

    def __init__(self, session_id):
        self.session_id = session_id

    def run_with(self, conn, context):
        cancelled = executions.cancel_execution(mistral_client.for_action(context),
                                               self.session_id)
        reason = contract.disable_reason(self.session_id)
        enabled = []
        for host in cloud.list_compute_hosts(conn):
            if not host["enabled"] and host.get("disabled_reason") == reason:
                cloud.enable_host(conn, host["name"])
                enabled.append(host["name"])
        notify.send_session_event(
            session_id=self.session_id, state=contract.MAINTENANCE_CANCELLED, hosts_done=0,
            hosts_total=0, reason="cancelled by the admin", context=context)
        return {"session_id": self.session_id, "cancelled": cancelled, "enabled_hosts": enabled}
