"""The ask record: where the reply API finds the question a project is asked.

`maintenance.ask_project` is asynchronous: it sends its question and stays
RUNNING in Mistral's database until the reply API completes it. Before it
sends, it records its own action execution id against (session, project,
state) in one Mistral environment per session and project,
`maintenance-ask-<session_id>-<project_id>`:

    {"session_id": "...", "project_id": "...", "latest": "<STATE>",
     "asks": {"<STATE>": "<action execution id>", ...}}

The reply API is called on `/v1/maintenance/<session_id>/<project_id>`, so it
reads that one environment, then the action execution by its id: the
execution's input is the question, its state says whether the wait is open,
its output is the accepted reply (a repeat is recognised from it). The cost
of a reply does not depend on how many sessions Mistral keeps. Only the action
writes the record, and a session asks a project one question at a time, so
writes never race. A session id is a Mistral execution id (a UUID, fixed
length), so the name is never ambiguous.

The deadline of a question is its action execution's `created_at +
reply_window_s`; the `reply_at` sent to the project is computed the same way
when the action runs, a moment later, and rounded down to the second, so a
reply sent before the announced `reply_at` is in time.
"""

import dataclasses
import datetime
import json

from rolling_maintenance.workflow import contract
from rolling_maintenance.workflow.times import parse_time

RECORD_PREFIX = "maintenance-ask-"
RECORD_DESCRIPTION = "Rolling maintenance: the questions of session %s to project %s"
# Mistral may report created_at rounded down to the second; the `reply_at`
# announced to the project is computed a moment after it.
DEADLINE_GRACE = datetime.timedelta(seconds=1)


def session_prefix(session_id):
    """The start of the name of every record of the session."""
    return "%s%s-" % (RECORD_PREFIX, session_id)


def record_name(session_id, project_id):
    return session_prefix(session_id) + project_id


def with_ask(record, session_id, project_id, state, action_execution_id):
    """The record (or a new one for None) with `action_execution_id` as the question on `state`."""
    asks = dict((record or {}).get("asks") or {})
    asks[state] = action_execution_id
    return {"session_id": session_id, "project_id": project_id, "latest": state, "asks": asks}


def is_record_of(record, session_id, project_id):
    return isinstance(record, dict) and record.get("session_id") == session_id \
        and record.get("project_id") == project_id and isinstance(record.get("asks"), dict)


def asked_on(record, state):
    """The action execution id of the question on `state`, or None."""
    return record["asks"].get(state)


def latest(record):
    """The action execution id of the question asked last, or None."""
    return record["asks"].get(record.get("latest"))


@dataclasses.dataclass(frozen=True)
class Ask:
    """One question: which project, which state, which instances, until when, and its reply."""

    action_execution_id: str
    task_execution_id: str
    execution_state: str
    session_id: str
    project_id: str
    state: str
    instance_ids: tuple
    allowed_actions: tuple
    reply_window_s: float
    created_at: datetime.datetime
    output: object = None

    @property
    def deadline(self):
        return self.created_at + datetime.timedelta(seconds=self.reply_window_s) + DEADLINE_GRACE

    @property
    def waiting(self):
        """Whether the action execution still waits for a reply."""
        return self.execution_state == "RUNNING"

    @property
    def reply(self):
        """The reply that completed this question (its output), or None."""
        output = self.output
        if isinstance(output, str):
            try:
                output = json.loads(output)
            except ValueError:
                return None
        if isinstance(output, dict) and set(output) == {"result"}:
            output = output["result"]
        if isinstance(output, dict) and isinstance(output.get("state"), str) \
                and output["state"].startswith(("ACK_", "NACK_")):
            return output
        return None


def ask_from(execution):
    """An `Ask` from a Mistral action execution resource, or None if its input is not one."""
    params = getattr(execution, "input", None)
    if isinstance(params, str):
        try:
            params = json.loads(params)
        except ValueError:
            return None
    if not isinstance(params, dict):
        return None
    state = params.get("state")
    window = params.get("reply_window_s")
    instances = params.get("instance_ids")
    if state not in contract.PROJECT_STATES or not isinstance(window, (int, float)) \
            or not isinstance(instances, list):
        return None
    allowed = params.get("allowed_actions")
    if allowed is None:
        allowed = contract.allowed_actions(state)
    return Ask(
        action_execution_id=execution.id,
        task_execution_id=getattr(execution, "task_execution_id", None),
        execution_state=execution.state,
        session_id=params.get("session_id"),
        project_id=params.get("project_id"),
        state=state,
        instance_ids=tuple(instances),
        allowed_actions=tuple(allowed),
        reply_window_s=float(window),
        created_at=parse_time(execution.created_at),
        output=getattr(execution, "output", None),
    )
