"""Mistral's executions and definitions, as the actions and the admin API need them:
plug-in look-ups, plug-ins that succeeded, failed tasks, cancel, and the
sessions themselves."""

import json

from mistralclient.api import base as mistral_base

from rolling_maintenance.cloud.errors import CloudError
from rolling_maintenance.mistral.errors import is_missing
from rolling_maintenance.workflow import contract

# Execution states in which a session still holds hosts.
UNFINISHED = ("RUNNING", "PAUSED", "IDLE")
# A failed session holds its hosts too (`continue` resumes it) until it is cancelled.
HOLDING = (*UNFINISHED, "ERROR")


def _exists(manager, name):
    try:
        manager.get(name)
        return True
    except mistral_base.APIException as exc:
        if is_missing(exc):
            return False
        raise


def classify_plugins(client, names):
    """Split plug-in names into (workflows, actions) that Mistral knows."""
    workflows, actions = set(), set()
    for name in set(names):
        if _exists(client.workflows, name):
            workflows.add(name)
        elif _exists(client.actions, name):
            actions.add(name)
    return workflows, actions


def failed_tasks(client, execution_id, workflow_input=None):
    """Every task in ERROR under an execution, its sub-workflows included,
    as `{"task", "workflow", "state_info", "result", "workflow_input"}`,
    deepest last (`workflow_input`: the input of the task's own workflow)."""
    found = []
    for task in client.tasks.list(workflow_execution_id=execution_id):
        if task.state != "ERROR":
            continue
        task = client.tasks.get(task.id)  # lists leave the result out
        found.append({"task": task.name, "workflow": task.workflow_name,
                      "state_info": task.state_info, "result": task.result,
                      "workflow_input": workflow_input or {}})
        for sub in client.executions.list(task=task.id):
            found.extend(failed_tasks(client, sub.id, _input_of(sub)))
    return found


def _input_of(execution):
    value = execution.input
    return json.loads(value) if isinstance(value, str) else (value or {})


def plugins_succeeded(client, session_id, host):
    """The indexes of the host plug-ins that succeeded on `host` in the
    session: Mistral's own record of each `_run_plugin` run, kept in its
    database with the run's end, so no crash loses it."""
    runs = client.executions.list(root_execution_id=session_id, workflow_name=contract.RUN_PLUGIN,
                                  state="SUCCESS", limit=-1)
    found = set()
    for run in runs:
        run_input = _input_of(run)
        if run_input.get("host") == host and isinstance(run_input.get("index"), int):
            found.add(run_input["index"])
    return sorted(found)


def cancel_execution(client, execution_id):
    """Cancel an execution that is still running or paused; True when changed.

    A failed (ERROR) or finished execution has ended already and stays as it
    is: Mistral keeps its state.
    """
    try:
        execution = client.executions.get(execution_id)
        if execution.state not in UNFINISHED:
            return False
        client.executions.update(execution_id, "CANCELLED")
    except mistral_base.APIException as exc:
        code = "not_found" if is_missing(exc) else "cancel_failed"
        raise CloudError(code, "session %s: %s" % (execution_id, exc.error_message),
                         {"session_id": execution_id}) from None
    return True


def start_session(client, session_input):
    """A new `maintenance.rolling` execution with `session_input`; its id is the session id.

    The same execution `mistral execution-create maintenance.rolling` makes.
    """
    return client.executions.create(contract.ROLLING, workflow_input=session_input,
                                    description="Rolling maintenance session").id


def start_cancel(client, session_id):
    """A `maintenance.cancel` execution for `session_id`; returns its id."""
    return client.executions.create(contract.CANCEL, workflow_input={"session_id": session_id},
                                    description="Cancel session %s" % session_id).id


def session(client, session_id):
    """The `maintenance.rolling` execution `session_id`, or None if there is none."""
    try:
        execution = client.executions.get(session_id)
    except mistral_base.APIException as exc:
        if is_missing(exc):
            return None
        raise
    return execution if execution.workflow_name == contract.ROLLING else None


def sessions(client):
    """Every `maintenance.rolling` execution, oldest first."""
    return client.executions.list(workflow_name=contract.ROLLING, limit=-1,
                                  sort_keys="created_at", sort_dirs="asc")


def _input_of(execution):
    value = execution.input
    return json.loads(value) if isinstance(value, str) else (value or {})


def _cancelled_sessions(client):
    """Ids of the sessions a `maintenance.cancel` execution gave back."""
    return {_input_of(e).get("session_id")
            for e in client.executions.list(workflow_name=contract.CANCEL, limit=-1)
            if e.state == "SUCCESS"}


def _refused_at_validation(client, execution_id):
    return any(t.name == contract.INVALID_INPUT_TASK
               for t in client.tasks.list(workflow_execution_id=execution_id))


def _validated(client, execution_id):
    return any(t.name == contract.VALIDATE_TASK and t.state == "SUCCESS"
               for t in client.tasks.list(workflow_execution_id=execution_id))


def _started_first(client, other, mine):
    """Whether session `other` comes before session `mine`. Mistral keeps whole
    seconds: within one second, a session already past its validation comes
    before one that is not, else the smaller id, so two sessions started together agree on
    which one is first whatever the order their validations run in."""
    if mine is None:
        return True
    if (other.created_at or "") != (mine.created_at or ""):
        return (other.created_at or "") < (mine.created_at or "")
    other_validated = _validated(client, other.id)
    if other_validated != _validated(client, mine.id):
        return other_validated
    return other.id < mine.id


def sessions_holding_hosts(client, before=None):
    """The sessions that may hold hosts, as `{"id", "state", "hosts"}` (`hosts` empty: every
    host), oldest first: running ones, and failed ones that were neither refused at
    validation nor cancelled. `before`: only those that came before that session."""
    ordered = sorted(sessions(client), key=lambda e: (e.created_at or "", e.id))
    mine = next((e for e in ordered if e.id == before), None)
    cancelled = None
    holding = []
    for execution in ordered:
        if execution.id == before or execution.state not in HOLDING:
            continue
        if not _started_first(client, execution, mine):
            continue
        if execution.state == "ERROR":
            if cancelled is None:
                cancelled = _cancelled_sessions(client)
            if execution.id in cancelled or _refused_at_validation(client, execution.id):
                continue
        holding.append({"id": execution.id, "state": execution.state,
                        "hosts": list(_input_of(execution).get("hosts") or [])})
    return holding
