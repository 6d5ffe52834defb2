"""The reply rules: what a project may answer, and when; nothing changes on a rejected reply.

Replies are Mistral callbacks: a valid reply completes the waiting
`maintenance.ask_project` action execution (ACK -> SUCCESS with the reply as
output, NACK -> ERROR naming project and state, so the workflow's error
handler has the reason). Everything is checked before Mistral is called:

- 400: the body is malformed, its state is not the pending one, an instance
  is not one of the question's, or an action is not allowed for the state;
- 409: no question is pending, its reply window has closed (or its task
  timed out), or it was already answered differently;
- 200: accepted, or an identical repeat of the accepted reply (Tacker retries
  a PUT up to 5 times), which changes nothing.
"""

import datetime
import logging
import threading
import time

from rolling_maintenance.api import asks as asks_module
from rolling_maintenance.api import errors
from rolling_maintenance.api import reply_schema

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
    """GET and PUT of `/v1/maintenance/{session_id}/{project_id}` over `asks` (MistralAsks).

    `clock()` returns epoch seconds. Replies are handled one at a time: two
    copies of the same reply racing each other must not both reach Mistral.
    """

    def __init__(self, asks, clock=time.time):
        self.asks = asks
        self.clock = clock
        self._lock = threading.Lock()

    def _now(self):
        return datetime.datetime.fromtimestamp(self.clock(), datetime.timezone.utc)

    def _open(self, session_id, project_id):
        """Pending questions (RUNNING, in time, task still waiting), and the closed ones."""
        now = self._now()
        pending, closed = [], []
        for ask in self.asks.running(session_id, project_id):
            if now <= ask.deadline and self.asks.task_running(ask):
                pending.append(ask)
            else:
                closed.append(ask)
        return pending, closed

    def instances(self, session_id, project_id):
        """`{"instance_ids": [...]}` of the pending question, else of the last one asked."""
        pending, _ = self._open(session_id, project_id)
        ask = pending[0] if pending else self.asks.latest(session_id, project_id)
        if ask is None:
            raise errors.not_found("no maintenance question for project %s in session %s"
                                   % (project_id, session_id))
        return {"instance_ids": list(ask.instance_ids), "state": ask.state,
                "session_id": session_id, "project_id": project_id,
                "pending": bool(pending)}

    def reply(self, session_id, project_id, raw_body):
        """Apply one reply; returns the accepted reply, or raises `ApiError`."""
        reply = reply_schema.parse_reply(raw_body)
        with self._lock:
            return self._reply(session_id, project_id, reply)

    def _reply(self, session_id, project_id, reply):
        pending, closed = self._open(session_id, project_id)
        for ask in pending:
            if ask.state == reply.asked_state:
                check_against(ask, reply)
                return self._complete(ask, project_id, reply)
        output = reply_output(project_id, reply)
        late = [ask for ask in closed if ask.state == reply.asked_state]
        answered = self.asks.answered(session_id, project_id, reply.asked_state)
        if answered is not None and not any(a.created_at > answered.created_at for a in late):
            return self._repeat(answered, output)
        if late:
            raise errors.conflict("the reply window for %s closed at %s"
                                  % (late[-1].state, _iso(late[-1].deadline)))
        if pending:
            asked = pending[0].state
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
        except asks_module.MISTRAL_ERRORS as exc:
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
