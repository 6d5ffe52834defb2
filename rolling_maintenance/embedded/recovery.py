"""Redo the steps a killed Mistral had committed to but not yet taken.

Mistral does some of its work in two steps: a transaction commits, and what
follows is an engine call or an operation kept in the process's memory. In
the embedded stack a kill between the two leaves an execution RUNNING for
ever, which neither Mistral's integrity checker (it looks at RUNNING tasks
whose actions are all finished) nor a task rerun (refused for an IDLE task)
nor `rolling-maintenance continue` (for a failed session) would move:

- a task created (IDLE) whose start, an engine call sent after the commit,
  was lost: it is started with that same call;
- an execution whose tasks have all ended, whose completion check, run
  after the commit of its last task, was lost (a sub-workflow left so holds
  its parent's task RUNNING), or whose task rerun was lost: it is completed,
  or failed so that the rerun can be asked again;
- a delayed call of Mistral's scheduler taken (`processing`) and not
  finished (a finished one is deleted): the scheduler never takes a call so
  marked again, so a with-items task whose items had all ended stayed
  RUNNING until its timeout failed it. It is given back to the scheduler.

Before the engine starts, nothing of this process is at work, so what is
found then is exactly that; the steps are redone once the engine is there.
"""

import logging
import threading

LOG = logging.getLogger(__name__)


def orphaned_tasks():
    """The IDLE tasks of RUNNING executions, as `(task id, triggered_by)`.

    Call it before the engine starts: afterwards, a task the engine has just
    created is IDLE too, with its start on the way.
    """
    from mistral.db.v2 import api as db_api
    from mistral.workflow import states

    with db_api.transaction():
        running = {wf_ex.id for wf_ex in db_api.get_workflow_executions(
            insecure=True, state=states.RUNNING, fields=("id",))}
        return [
            (task_ex.id, (task_ex.runtime_context or {}).get("triggered_by"))
            for task_ex in db_api.get_task_executions(insecure=True, state=states.IDLE)
            if task_ex.workflow_execution_id in running
        ]


def _act_as_admin():
    """Act on the executions of any project, as Mistral's own checkers do."""
    from mistral import context as auth_ctx

    auth_ctx.set_ctx(auth_ctx.MistralContext(
        user_id=None, project_id=None, auth_token=None, is_admin=True))


def start_tasks(tasks):
    """Send the engine the start of each task of `orphaned_tasks()`."""
    from mistral.rpc import clients as rpc_clients

    if not tasks:
        return
    _act_as_admin()
    engine = rpc_clients.get_engine_client()
    for task_ex_id, triggered_by in tasks:
        LOG.warning("Starting task %s: it was created but not started when Mistral stopped",
                    task_ex_id)
        engine.start_task(task_ex_id=task_ex_id, first_run=True, waiting=False,
                          triggered_by=triggered_by, rerun=False, reset=False)


def release_taken_calls():
    """Give the scheduler back the delayed calls the killed process had
    taken and not finished; return their ids.

    Call it before the engine starts its scheduler: afterwards, a call so
    marked is being run by this process. A call killed between its own
    commit and its deletion runs twice, as with Mistral's newer scheduler,
    which takes up calls held too long.
    """
    from mistral.db.v2 import api as db_api

    with db_api.transaction():
        taken = [call.id for call in db_api.get_delayed_calls(processing=True)]
        for call_id in taken:
            LOG.warning("Releasing delayed call %s: it was being run when Mistral stopped", call_id)
            db_api.update_delayed_call(call_id, {"processing": False})
    return taken


def unfinished_executions():
    """The RUNNING executions with no task left at work: `(to_complete, to_fail)`.

    Those whose tasks have all succeeded (or were skipped) missed their
    completion check. One with a failed task may also be a task rerun whose
    start was lost (the rerun's commit sets the execution RUNNING and leaves
    the task as it was); a completion check could end that one as if the
    rerun had happened, so it is failed instead, and a rerun (`continue`)
    takes it on again.
    """
    from mistral.db.v2 import api as db_api
    from mistral.workflow import states

    to_complete, to_fail = [], []
    with db_api.transaction():
        for wf_ex in db_api.get_workflow_executions(insecure=True, state=states.RUNNING):
            task_states = {t.state for t in wf_ex.task_executions}
            if not task_states or not all(states.is_completed(s) for s in task_states):
                continue
            if task_states <= {states.SUCCESS, states.SKIPPED}:
                to_complete.append(wf_ex.id)
            else:
                to_fail.append(wf_ex.id)
    return to_complete, to_fail


LOST_RERUN = ("Mistral stopped before this execution went on after its failed task; "
              "rerun that task (rolling-maintenance continue)")


def finish_executions(unfinished, engine):
    """Once `engine` has started (its scheduler carries a result to a parent
    execution), complete or fail each execution of `unfinished_executions()`,
    in a thread."""
    to_complete, to_fail = unfinished
    if not to_complete and not to_fail:
        return None

    def _finish():
        from mistral.db.v2 import api as db_api
        from mistral.engine import post_tx_queue
        from mistral.engine import workflow_handler

        @post_tx_queue.run
        def _complete(wf_ex_id):
            with db_api.transaction():
                workflow_handler.check_and_complete(wf_ex_id)

        @post_tx_queue.run
        def _fail(wf_ex_id):
            with db_api.transaction():
                wf_ex = db_api.get_workflow_execution(wf_ex_id)
                if wf_ex.state == "RUNNING":
                    workflow_handler.force_fail_workflow(wf_ex, LOST_RERUN)

        engine.wait_started()
        _act_as_admin()
        for wf_ex_id in to_complete:
            LOG.warning("Completing execution %s: its tasks had all ended when Mistral stopped",
                        wf_ex_id)
            _complete(wf_ex_id)
        for wf_ex_id in to_fail:
            LOG.warning("Failing execution %s: %s", wf_ex_id, LOST_RERUN)
            _fail(wf_ex_id)

    thread = threading.Thread(target=_finish, name="finish-executions", daemon=True)
    thread.start()
    return thread
