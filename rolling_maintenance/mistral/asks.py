"""The questions put to projects, in Mistral: the ask records and the waiting action executions.

`maintenance.ask_project` writes the record (`record_ask`); the reply API
reads one record and completes the action execution it names; `status`
reads the records of one session. See `workflow.ask` for the record.
"""

from mistralclient.api import base as mistral_base

from rolling_maintenance.mistral import environments
from rolling_maintenance.mistral.errors import is_missing
from rolling_maintenance.workflow import ask as ask_record


class MistralAsks:
    """Record, find and complete questions through python-mistralclient's v2 client."""

    def __init__(self, client):
        self.client = client

    def record_ask(self, session_id, project_id, state, action_execution_id):
        """Record `action_execution_id` as the question to the project on `state`."""
        name = ask_record.record_name(session_id, project_id)
        found = environments.get(self.client, name)
        record = environments.variables_of(found) if found is not None else None
        if not ask_record.is_record_of(record, session_id, project_id):
            record = None
        environments.put(self.client, name,
                         ask_record.with_ask(record, session_id, project_id, state,
                                             action_execution_id),
                         ask_record.RECORD_DESCRIPTION % (session_id, project_id))

    def record(self, session_id, project_id):
        """The record of the project in the session (one lookup), or None."""
        found = environments.get(self.client, ask_record.record_name(session_id, project_id))
        record = environments.variables_of(found) if found is not None else None
        return record if ask_record.is_record_of(record, session_id, project_id) else None

    def session_records(self, session_id):
        """The records of every project the session asked."""
        for found in environments.with_prefix(self.client, ask_record.session_prefix(session_id)):
            record = environments.variables_of(found)
            if isinstance(record, dict) and ask_record.is_record_of(
                    record, session_id, record.get("project_id")):
                yield record

    def get(self, action_execution_id):
        """The question of an action execution (with its reply, if any), or None."""
        if not action_execution_id:
            return None
        try:
            execution = self.client.action_executions.get(action_execution_id)
        except mistral_base.APIException as exc:
            if is_missing(exc):
                return None
            raise
        return ask_record.ask_from(execution)

    def task_running(self, ask):
        """Whether the question's task still waits (a task timeout ends it, not the action)."""
        if not ask.task_execution_id:
            return True
        return self.client.tasks.get(ask.task_execution_id).state == "RUNNING"

    def complete(self, ask, state, output):
        """Finish the wait: SUCCESS continues the workflow, ERROR fails its task."""
        self.client.action_executions.update(ask.action_execution_id, state=state, output=output)
