"""The reply rules: what a project may answer, and when; nothing changes on a rejected reply.

Replies are Mistral callbacks: a valid reply completes the waiting
`maintenance.ask_project` action execution, found from the ask record of
the session and project (`workflow.ask`): ACK -> SUCCESS with the reply as
output, NACK -> ERROR naming project and state, so the workflow's error
handler has the reason. Everything is checked before Mistral is called:

- 400: the body is malformed, its state is not the pending one, an instance
  is not one of the question's, or an action is not allowed for the state;
- 409: no question is pending, its reply window has closed (or its task
  timed out), or it was already answered differently;
- 200: accepted, or an identical repeat of the accepted reply (Tacker retries
  a PUT up to 5 times), which changes nothing; and the receipt Tacker sends
  for INSTANCE_ACTION_DONE (`ACK_INSTANCE_ACTION_DONE`), which Fenix answers
  200 too: nothing was asked, so nothing changes.
"""

import dataclasses
import datetime
import logging
import threading
import time

from rolling_maintenance.api import errors
from rolling_maintenance.api import reply_schema
from rolling_maintenance.mistral.errors import MISTRAL_ERRORS
from rolling_maintenance.workflow import ask as ask_record

LOG = logging.getLogger(__name__)


def reply_output(project_id, reply):
    """What the waiting action returns: the workflow reads its instance actions from here."""
    output = {"project_id": project_id, "state": reply.state,
              "instance_actions": dict(reply.instance_actions)}
    if reply.verdict == "NACK":
        output["code"] = "nack"
        output["message"] = "project %s refused %s (%s)" % (
            project_id, reply.asked_state, reply.state)
    return output


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def for_question(ask, reply):
    """The reply with `instance_action` (singular, to a question about one
    instance) folded into `instance_actions`; 400 when it cannot be."""
    if reply.instance_action is None:
        return reply
    if len(ask.instance_ids) != 1:
        raise errors.bad_request(
            "instance_action answers a question about one instance; this %s names %d: "
            "use instance_actions" % (ask.state, len(ask.instance_ids)))
    [instance] = ask.instance_ids
    if reply.instance_actions.get(instance, reply.instance_action) != reply.instance_action:
        raise errors.bad_request("instance_action %s and instance_actions.%s %s disagree"
                                 % (reply.instance_action, instance,
                                    reply.instance_actions[instance]))
    actions = dict(reply.instance_actions, **{instance: reply.instance_action})
    return dataclasses.replace(reply, instance_actions=actions, instance_action=None)


def check_against(ask, reply):
    """400 unless every instance in the reply is the question's and its action allowed."""
    unknown = sorted(i for i in reply.instance_actions if i not in ask.instance_ids)
    if unknown:
        raise errors.bad_request(
            "instance_actions names instance(s) not in this %s question: %s"
            % (ask.state, ", ".join(unknown)))
    for instance, action in sorted(reply.instance_actions.items()):
        if action not in ask.allowed_actions:
            allowed = ", ".join(ask.allowed_actions) or "none"
            raise errors.bad_request(
                "instance_actions.%s: %s is not allowed in %s (allowed: %s)"
                % (instance, action, ask.state, allowed))


class ReplyService:
    """GET and PUT of `/v1/maintenance/{session_id}/{project_id}` over `asks`
    (`mistral.asks.MistralAsks`): each call reads the ask record of the path,
    then the action executions it names, by id.

    `clock()` returns epoch seconds. Replies are handled one at a time: two
    copies of the same reply racing each other must not both reach Mistral.
    """

    def __init__(self, asks, clock=time.time):
        self.asks = asks
        self.clock = clock
        self._lock = threading.Lock()

    def _now(self):
        return datetime.datetime.fromtimestamp(self.clock(), datetime.timezone.utc)

    def _is_open(self, ask):
        """The question still waits, its reply window is open and its task still waits."""
        return ask.waiting and self._now() <= ask.deadline and self.asks.task_running(ask)

    def _record(self, session_id, project_id):
        """The project's ask record in the session: one lookup, whatever Mistral keeps else."""
        return self.asks.record(session_id, project_id)

    def instances(self, session_id, project_id):
        """`{"instance_ids": [...]}` of the question asked last (pending or not)."""
        record = self._record(session_id, project_id)
        ask = self.asks.get(ask_record.latest(record)) if record else None
        if ask is None:
            raise errors.not_found("no maintenance question for project %s in session %s"
                                   % (project_id, session_id))
        return {"instance_ids": list(ask.instance_ids), "state": ask.state,
                "session_id": session_id, "project_id": project_id,
                "pending": self._is_open(ask)}

    def reply(self, session_id, project_id, raw_body):
        """Apply one reply; returns the accepted reply, or raises `ApiError`."""
        reply = reply_schema.parse_reply(raw_body)
        if reply.is_receipt:
            return self._receipt(session_id, project_id, reply)
        with self._lock:
            return self._reply(session_id, project_id, reply)

    def _receipt(self, session_id, project_id, reply):
        """200 for a project the session has asked before; nothing changes."""
        if self._record(session_id, project_id) is None:
            raise errors.conflict("session %s told project %s of no instance action"
                                  % (session_id, project_id))
        return {"session_id": session_id, "project_id": project_id, "state": reply.state,
                "accepted": True}

    def _reply(self, session_id, project_id, reply):
        record = self._record(session_id, project_id)
        if record is None:
            raise errors.conflict("no question is pending for project %s in session %s"
                                  % (project_id, session_id))
        ask = self.asks.get(ask_record.asked_on(record, reply.asked_state))
        if ask is not None:
            if self._is_open(ask):
                reply = for_question(ask, reply)
                check_against(ask, reply)
                return self._complete(ask, project_id, reply)
            if ask.reply is not None:
                return self._repeat(ask, reply_output(project_id, for_question(ask, reply)))
            if ask.waiting:
                raise errors.conflict("the reply window for %s closed at %s"
                                      % (ask.state, _iso(ask.deadline)))
        last = self.asks.get(ask_record.latest(record))
        if last is not None and last.state != reply.asked_state and self._is_open(last):
            asked = last.state
            raise errors.bad_request(
                "state %s does not answer the pending question %s (expected ACK_%s or NACK_%s)"
                % (reply.state, asked, asked, asked))
        raise errors.conflict("no question is pending for project %s in session %s"
                              % (project_id, session_id))

    def _complete(self, ask, project_id, reply):
        output = reply_output(project_id, reply)
        mistral_state = "SUCCESS" if reply.verdict == "ACK" else "ERROR"
        try:
            self.asks.complete(ask, mistral_state, output)
        except MISTRAL_ERRORS as exc:
            # Another copy of the API may have completed it first: look again.
            current = self.asks.get(ask.action_execution_id)
            if current is not None and current.reply is not None:
                return self._repeat(current, output)
            LOG.error("Mistral refused to complete %s: %s", ask.action_execution_id, exc)
            raise errors.ApiError(502, "mistral_error",
                                  "Mistral did not accept the reply: %s" % exc) from exc
        LOG.info("Project %s answered %s in session %s", project_id, reply.state, ask.session_id)
        return dict(output, session_id=ask.session_id, accepted=True)

    @staticmethod
    def _repeat(answered, output):
        if answered.reply == output:
            return dict(output, session_id=answered.session_id, accepted=True, repeated=True)
        raise errors.conflict("%s was already answered with %s" % (
            answered.state, answered.reply["state"] if answered.reply["state"] != output["state"]
            else "other instance actions"))
