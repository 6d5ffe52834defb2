"""A python-mistralclient stand-in holding action executions, tasks and environments in memory.

It answers `action_executions.list/get/update`, `tasks.get/list`,
`executions.create/get/list` (workflow executions, for the admin API) and the
`environments` manager with the same filters, paging and errors the real API
has for what the reply API uses, so the reply rules are tested with the real
`MistralAsks` on top. `ask(...)` records each question the way the action
does; `calls` counts every call by manager and method.
"""

import datetime
import itertools
import threading
import types

from mistralclient.api import base as mistral_base

from api_fake_environments import FakeEnvironments
from rolling_maintenance.mistral import asks

EPOCH_NOW = datetime.datetime(2026, 11, 22, 10, 0, 0, tzinfo=datetime.timezone.utc).timestamp()


def mistral_time(epoch):
    moment = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class FakeActionExecutions:
    def __init__(self, owner):
        self.owner = owner

    def list(self, task_execution_id=None, limit=None, marker="", fields=None, sort_keys="",
             sort_dirs="", **filters):
        self.owner.count("action_executions.list")
        self.owner.list_calls.append(dict(filters, limit=limit, marker=marker))
        rows = [e for e in self.owner.action_records.values()
                if e.name == filters.get("name", e.name)]
        state = filters.get("state")
        if state and state.startswith("in:"):
            rows = [e for e in rows if e.state in state[3:].split(",")]
        elif state:
            rows = [e for e in rows if e.state == state]
        rows.sort(key=lambda e: (e.created_at, e.seq), reverse=(sort_dirs == "desc"))
        if marker:
            ids = [e.id for e in rows]
            rows = rows[ids.index(marker) + 1:]
        if limit:
            rows = rows[:limit]
        with_output = filters.get("include_output")
        return [types.SimpleNamespace(**dict(vars(e), output=e.output if with_output else None))
                for e in rows]

    def get(self, id):
        self.owner.count("action_executions.get")
        if id not in self.owner.action_records:
            raise mistral_base.APIException(404, "ActionExecution not found [id=%s]" % id)
        return types.SimpleNamespace(**vars(self.owner.action_records[id]))

    def update(self, id, state=None, output=None):
        self.owner.count("action_executions.update")
        if self.owner.down:
            raise mistral_base.APIException(503, "Mistral is down")
        with self.owner.lock:
            execution = self.owner.action_records[id]
            self.owner.updates.append((id, state, output))
            if execution.state != "RUNNING":
                raise mistral_base.APIException(
                    500, "Action execution %s is already completed" % id)
            execution.state = state
            execution.output = {"result": output}
        return execution


class FakeTasks:
    def __init__(self, owner):
        self.owner = owner

    def get(self, id):
        self.owner.count("tasks.get")
        return types.SimpleNamespace(id=id, state=self.owner.task_states[id])

    def list(self, workflow_execution_id=None, **_):
        return []


class FakeWorkflowExecutions:
    """Workflow executions: `created` keeps what was started, in order."""

    def __init__(self):
        self.by_id = {}
        self.created = []

    def create(self, wf_identifier="", workflow_input=None, description="", **_):
        execution = types.SimpleNamespace(
            id="wf-%d" % (len(self.created) + 1), workflow_name=wf_identifier, state="RUNNING",
            input=workflow_input, output="{}", state_info=None, description=description)
        self.by_id[execution.id] = execution
        self.created.append(execution)
        return execution

    def get(self, id):
        if id not in self.by_id:
            raise mistral_base.APIException(404, "Execution not found [id=%s]" % id)
        return self.by_id[id]

    def list(self, workflow_name=None, **_):
        return [e for e in self.created if workflow_name in (None, e.workflow_name)]


class FakeMistral:
    """`ask(...)` adds a RUNNING `maintenance.ask_project` action execution and records it."""

    def __init__(self):
        self.calls = {}
        self.action_records = {}
        self.task_states = {}
        self.updates = []
        self.list_calls = []
        self.down = False
        self.lock = threading.Lock()
        self.counter = itertools.count(1)
        self.action_executions = FakeActionExecutions(self)
        self.tasks = FakeTasks(self)
        self.executions = FakeWorkflowExecutions()
        self.environments = FakeEnvironments()

    def count(self, call):
        self.calls[call] = self.calls.get(call, 0) + 1

    def environment_calls(self):
        return [call for call, _ in self.environments.calls]

    def ask(self, session_id="s-1", project_id="p-1", state="PLANNED_MAINTENANCE",
            instance_ids=("vm-1", "vm-2"), reply_window_s=60, created=EPOCH_NOW - 10,
            name="maintenance.ask_project", allowed_actions=None, execution_state="RUNNING",
            task_state="RUNNING", output=None):
        seq = next(self.counter)
        params = {"session_id": session_id, "project_id": project_id, "state": state,
                  "instance_ids": list(instance_ids), "reply_window_s": reply_window_s,
                  "metadata": {}}
        if allowed_actions is not None:
            params["allowed_actions"] = allowed_actions
        task_id = "task-%d" % seq
        self.task_states[task_id] = task_state
        execution = types.SimpleNamespace(
            id="ae-%d" % seq, seq=seq, name=name, state=execution_state, input=params,
            output=output, created_at=mistral_time(created), task_execution_id=task_id)
        self.action_records[execution.id] = execution
        if name == "maintenance.ask_project":
            asks.MistralAsks(self).record_ask(session_id, project_id, state, execution.id)
        return execution


def running_api(mistral, auth="none", limits=None):
    """The real reply API over `mistral`, started on loopback at the fake's clock.

    With `auth` keystone, tokens validate through `fake_keystone` (its fixture
    must be in use).
    """
    from rolling_maintenance.api import ReplyAPI

    import fake_keystone

    keystone_conf = fake_keystone.config() if auth == "keystone" else None
    api = ReplyAPI(mistral_client=mistral, auth=auth, clock=lambda: EPOCH_NOW, limits=limits,
                   keystone_conf=keystone_conf)
    api.start()
    return api
