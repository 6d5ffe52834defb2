"""The questions put to projects, read from Mistral: the reply API keeps no state of its own.

Every question is a `maintenance.ask_project` action execution. While it is
RUNNING and its task is RUNNING, the question is pending; the reply API
completes it through Mistral's API. Because the waits live in Mistral's
database, the API can restart (or run several copies) without losing one.
"""

import dataclasses
import datetime
import json

from keystoneauth1 import exceptions as ks_exc
from mistralclient.api import base as mistral_base
import requests

from rolling_maintenance.notify import payloads

ASK_PROJECT = "maintenance.ask_project"
PAGE_SIZE = 100
# Mistral may report created_at rounded down to the second; the `reply_at`
# announced to the project is computed a moment after it.
DEADLINE_GRACE = datetime.timedelta(seconds=1)
ANSWERED_STATES = ("SUCCESS", "ERROR")
# What python-mistralclient raises when Mistral refuses or cannot be reached.
MISTRAL_ERRORS = (mistral_base.APIException, requests.RequestException,
                  ks_exc.ClientException)


@dataclasses.dataclass(frozen=True)
class Ask:
    """One question: which project, which state, which instances, until when."""

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


def parse_created_at(text):
    """Mistral's `2026-11-22 10:00:00[.ffffff]` (UTC, no zone) as an aware datetime."""
    moment = datetime.datetime.fromisoformat(text.replace(" ", "T"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment


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
    if state not in payloads.PROJECT_STATES or not isinstance(window, (int, float)) \
            or not isinstance(instances, list):
        return None
    allowed = params.get("allowed_actions")
    if allowed is None:
        allowed = payloads.allowed_actions_for(state)
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
        created_at=parse_created_at(execution.created_at),
        output=getattr(execution, "output", None),
    )


class MistralAsks:
    """Find and complete questions through python-mistralclient's v2 client."""

    def __init__(self, client):
        self.client = client

    def _scan(self, session_id, project_id, newest_first=False, **filters):
        marker = ""
        while True:
            page = self.client.action_executions.list(
                limit=PAGE_SIZE, marker=marker, sort_keys="created_at",
                sort_dirs="desc" if newest_first else "asc", name=ASK_PROJECT, **filters)
            for execution in page:
                ask = ask_from(execution)
                if ask and ask.session_id == session_id and ask.project_id == project_id:
                    yield ask
            if len(page) < PAGE_SIZE:
                return
            marker = page[-1].id

    def running(self, session_id, project_id):
        """The RUNNING questions of the project in the session, oldest first."""
        return list(self._scan(session_id, project_id, state="RUNNING"))

    def answered(self, session_id, project_id, state):
        """The most recent question on `state` that a reply completed, or None."""
        for ask in self._scan(session_id, project_id, newest_first=True,
                              state="in:" + ",".join(ANSWERED_STATES), include_output=True):
            if ask.state == state and ask.reply is not None:
                return ask
        return None

    def latest(self, session_id, project_id):
        """The most recent question to the project in the session, whatever its state."""
        return next(self._scan(session_id, project_id, newest_first=True), None)

    def task_running(self, ask):
        """Whether the question's task still waits (a task timeout ends it, not the action)."""
        if not ask.task_execution_id:
            return True
        return self.client.tasks.get(ask.task_execution_id).state == "RUNNING"

    def get(self, action_execution_id):
        return ask_from(self.client.action_executions.get(action_execution_id))

    def complete(self, ask, state, output):
        """Finish the wait: SUCCESS continues the workflow, ERROR fails its task."""
        self.client.action_executions.update(ask.action_execution_id, state=state, output=output)
