"""Redo the steps a killed Mistral had committed to but not yet taken.

Mistral does some of its work in two steps: a transaction commits, and what
follows is an engine call or an operation kept in the process's memory. In
the embedded stack a kill between the two leaves an execution RUNNING for
ever, which neither Mistral's integrity checker (it looks at RUNNING tasks
whose actions are all finished) nor a task rerun (refused for an IDLE task)
nor `rolling-maintenance continue` (for a failed session) would move:

- a task created (IDLE) whose start, an engine call sent after the commit,
  was lost: it is started with that same call;
- an execution whose tasks have all succeeded, whose completion check, run
  after the commit of its last task, was lost (a sub-workflow left so holds
  its parent's task RUNNING): the check is run.

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


def uncompleted_executions():
    """The RUNNING executions whose tasks have all succeeded (or were skipped).

    An execution with a failed task is left alone: it may be a task rerun
    whose start was lost, which a completion check would wrongly end.
    """
    from mistral.db.v2 import api as db_api
    from mistral.workflow import states

    done = (states.SUCCESS, states.SKIPPED)
    with db_api.transaction():
        return [
            wf_ex.id for wf_ex in db_api.get_workflow_executions(insecure=True, state=states.RUNNING)
            if wf_ex.task_executions and all(t.state in done for t in wf_ex.task_executions)
        ]


def complete_executions(execution_ids, engine):
    """Once `engine` has started (its scheduler carries a result to a parent
    execution), run the completion check of each execution, in a thread."""
    if not execution_ids:
        return None

    def _complete():
        from mistral.db.v2 import api as db_api
        from mistral.engine import post_tx_queue
        from mistral.engine import workflow_handler

        @post_tx_queue.run
        def _check(wf_ex_id):
            with db_api.transaction():
                workflow_handler.check_and_complete(wf_ex_id)

        engine.wait_started()
        _act_as_admin()
        for wf_ex_id in execution_ids:
            LOG.warning("Completing execution %s: its tasks had all ended when Mistral stopped",
                        wf_ex_id)
            _check(wf_ex_id)

    thread = threading.Thread(target=_complete, name="complete-executions", daemon=True)
    thread.start()
    return thread
