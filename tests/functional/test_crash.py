"""A session survives a crash of the whole Mistral process: while it waits for
a reply, and between Mistral creating a task and starting it."""

import contextlib
import socket
import time

from rolling_maintenance import session_control, status
from rolling_maintenance.demo import scenarios, session
from rolling_maintenance.embedded import stack

import mistral_db
from test_rolling import assert_done, session_input

# A stuck session never ends; a whole session here takes well under a minute.
SESSION_TIMEOUT_S = 240


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_pending(client, session_id, project, vnfm, timeout=60):
    """Until the session waits for `project` and its VNFM has the question in hand
    (the question is recorded just before it is sent)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = status.session_progress(client, session_id)["pending_replies"]
        if any(p["project_id"] == project for p in pending) and vnfm.states():
            assert vnfm.wait_idle(timeout)
            return pending
        time.sleep(0.3)
    raise AssertionError("%s was never asked" % project)


def test_kill_mistral_while_waiting_for_a_reply_then_restart(tmp_path):
    # Both projects hold their answer until Mistral is back: a reply sent into
    # the outage would only test how long the sample VNFM retries.
    inventory = scenarios.two_sizes(hosts=4, seed=1, extras_per_project=2)
    silent = {"behaviour": "silent"}
    with session.SessionRun(inventory, speed=80, workdir=str(tmp_path), reply_api_port=free_port(),
                            vnfm_options={"tenant-a": silent, "tenant-b": silent}) as run:
        session_id = run.create(session_input(project_maintenance_reply=120))
        for project in ("tenant-a", "tenant-b"):
            wait_for_pending(run.client, session_id, project, run.vnfms[project])

        run.env.crash_mistral()
        run.env.start_mistral()
        assert run.client.executions.get(session_id).state == "RUNNING"

        for vnfm in run.vnfms.values():
            vnfm.set_behaviour("ack")
            reply = vnfm.reply_pending()
            assert reply is not None and reply["status"] == 200, reply
        run.wait(session_id)
        assert_done(run, session_id, run.verdict(session_id))


def crash_with_task_unstarted(run, session_id, task):
    """Kill Mistral, and leave `task` of the session as created but not started,
    the newest task: the state of a kill between the two."""
    run.env.crash_mistral()
    db_path = run.env.mistral.db_path
    tasks = mistral_db.tasks(db_path, session_id)
    later = tasks[[t["id"] for t in tasks].index(task["id"]) + 1:]
    mistral_db.unstart_task(db_path, task["id"], drop=[t["id"] for t in later])


def test_kill_right_after_execution_create_then_restart(tmp_path):
    inventory = scenarios.two_sizes(hosts=4, seed=1, extras_per_project=2)
    # Both projects hold their answer, so that no VNFM is still reading its
    # question from the first process when Mistral is killed.
    silent = {"behaviour": "silent"}
    with session.SessionRun(inventory, speed=80, workdir=str(tmp_path), reply_api_port=free_port(),
                            vnfm_options={"tenant-a": silent, "tenant-b": silent}) as run:
        session_id = run.create(session_input(project_maintenance_reply=120))
        for project, vnfm in run.vnfms.items():
            wait_for_pending(run.client, session_id, project, vnfm)
        first = mistral_db.tasks(run.env.mistral.db_path, session_id)[0]
        crash_with_task_unstarted(run, session_id, first)
        for vnfm in run.vnfms.values():
            vnfm.set_behaviour("ack")

        run.env.start_mistral()
        run.wait(session_id, timeout=SESSION_TIMEOUT_S)
        assert_done(run, session_id, run.verdict(session_id))


def wait_for_task(client, session_id, name, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(t.name == name for t in client.tasks.list(workflow_execution_id=session_id)):
            return
        time.sleep(0.1)
    raise AssertionError("no task %s in session %s" % (name, session_id))


def wait_for_any_pending(run, session_id, timeout=120):
    """Until the session waits for some project and every VNFM holds what it was sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if status.session_progress(run.client, session_id)["pending_replies"]:
            assert all(vnfm.wait_idle(timeout) for vnfm in run.vnfms.values())
            return
        time.sleep(0.3)
    raise AssertionError("session %s never waited for a reply" % session_id)


def test_kill_while_decide_is_the_newest_task_then_restart(tmp_path):
    inventory = scenarios.two_sizes(hosts=4, seed=1, extras_per_project=2)
    with session.SessionRun(inventory, speed=80, workdir=str(tmp_path), reply_api_port=free_port()) as run:
        session_id = run.create(session_input(project_maintenance_reply=120))
        # Hold the session at the first question after a `decide`.
        wait_for_task(run.client, session_id, "decide")
        for vnfm in run.vnfms.values():
            vnfm.set_behaviour("silent")
        wait_for_any_pending(run, session_id)
        tasks = mistral_db.tasks(run.env.mistral.db_path, session_id)
        decide = [t for t in tasks if t["name"] == "decide"][-1]
        crash_with_task_unstarted(run, session_id, decide)
        for vnfm in run.vnfms.values():
            vnfm.set_behaviour("ack")

        run.env.start_mistral()
        run.wait(session_id, timeout=SESSION_TIMEOUT_S)
        assert_done(run, session_id, run.verdict(session_id))


PARENT_AND_CHILD = """---
version: '2.0'
crash_parent:
  tasks:
    call_child:
      workflow: crash_child
crash_child:
  tasks:
    only:
      action: std.noop
crash_fails:
  tasks:
    boom:
      action: std.fail
crash_items:
  tasks:
    each:
      with-items: item in <% [1, 2] %>
      action: std.echo output=<% $.item %>
"""


def wait_for_state(client, execution_id, state, timeout):
    deadline = time.monotonic() + timeout
    while client.executions.get(execution_id).state != state:
        assert time.monotonic() < deadline, "execution %s not %s after %d s" % (
            execution_id, state, timeout)
        time.sleep(0.2)


@contextlib.contextmanager
def ended_then_killed(tmp_path, workflow, state):
    """Run `workflow` (of PARENT_AND_CHILD) on an embedded Mistral until it is
    `state`; yield its client and the execution's id, then kill Mistral."""
    first = stack.EmbeddedMistral(str(tmp_path))
    first.start()
    try:
        client = first.client()
        client.workflows.create(PARENT_AND_CHILD)
        execution_id = client.executions.create(workflow).id
        wait_for_state(client, execution_id, state, 60)
        yield client, execution_id
    finally:
        first.process.kill()
        first.process.wait(30)


def test_a_sub_workflow_whose_completion_a_kill_lost_completes_on_restart(tmp_path):
    """A kill after a sub-workflow's last task, before its completion check
    (run after that commit), left it and its parent RUNNING for ever."""
    with ended_then_killed(tmp_path, "crash_parent", "SUCCESS") as (client, parent_id):
        (call_child,) = client.tasks.list(workflow_execution_id=parent_id)
        (child,) = client.executions.list(task=call_child.id)
    db_path = str(tmp_path / "mistral.sqlite")
    mistral_db.reopen(db_path, executions=[parent_id, child.id], tasks=[call_child.id])

    with stack.EmbeddedMistral(str(tmp_path)) as second:
        client = second.client()
        wait_for_state(client, child.id, "SUCCESS", 30)
        wait_for_state(client, parent_id, "SUCCESS", 30)


def test_a_task_rerun_whose_start_a_kill_lost_can_be_asked_again(tmp_path):
    """A rerun's commit sets the execution RUNNING and leaves the failed task as
    it was; a kill before the task's start left the execution RUNNING for ever,
    and `continue` refused it."""
    with ended_then_killed(tmp_path, "crash_fails", "ERROR") as (_, failed_id):
        pass
    mistral_db.reopen(str(tmp_path / "mistral.sqlite"), executions=[failed_id])

    with stack.EmbeddedMistral(str(tmp_path)) as second:
        client = second.client()
        wait_for_state(client, failed_id, "ERROR", 30)
        assert "rerun" in client.executions.get(failed_id).state_info
        assert session_control.failed_task(client, failed_id).name == "boom"


def test_a_with_items_task_whose_completion_a_kill_lost_completes_on_restart(tmp_path):
    """A kill while Mistral's scheduler ran the completion of a with-items task
    whose items had all ended left the call marked taken, never run again, and
    the task RUNNING until its timeout failed it: a session's reply window
    failed the `ask` task though every project had replied."""
    with ended_then_killed(tmp_path, "crash_items", "SUCCESS") as (client, items_id):
        (each,) = client.tasks.list(workflow_execution_id=items_id)
        last_item = max(client.action_executions.list(task_execution_id=each.id), key=lambda a: a.created_at)
    db_path = str(tmp_path / "mistral.sqlite")
    mistral_db.reopen(db_path, executions=[items_id], tasks=[each.id])
    mistral_db.taken_delayed_call(
        db_path, "mistral.engine.task_handler._scheduled_on_action_complete",
        {"action_ex_id": last_item.id, "wf_action": False}, key="th_on_a_c-%s" % each.id)

    with stack.EmbeddedMistral(str(tmp_path)) as second:
        client = second.client()
        wait_for_state(client, items_id, "SUCCESS", 20)
        assert client.tasks.get(each.id).state == "SUCCESS"
