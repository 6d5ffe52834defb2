"""`rolling-maintenance continue SESSION`: go on after fixing what failed.

A failed session ends through `maintenance_failed`; the task that failed
keeps its place in the workflow. Rerunning it (Mistral's task rerun) brings
the execution back to RUNNING, and the session continues from there. Every
action is idempotent, so work already done is not done again.
"""

import sys

from rolling_maintenance.workflow import contract


class CannotContinue(Exception):
    """The session is not in a state that can be continued."""


def failed_task(client, session_id):
    """The task of the session that failed (not the failure handler)."""
    execution = client.executions.get(session_id)
    if execution.state != "ERROR":
        raise CannotContinue("session %s is %s, not failed" % (session_id, execution.state))
    failed = [t for t in client.tasks.list(workflow_execution_id=session_id)
              if t.state == "ERROR" and t.name not in contract.FAILURE_TASKS]
    if not failed:
        raise CannotContinue("session %s failed before it started (see its state info): "
                             "start a new session" % session_id)
    return sorted(failed, key=lambda t: t.created_at)[-1]


def continue_session(client, session_id):
    """Rerun the failed task; return its name.

    Only the failed items of a task over several hosts run again, and of the
    `vnf` workflow's one-instance-at-a-time tasks the instance that failed
    and those after it; a question to the projects is asked again of every
    project.
    """
    task = failed_task(client, session_id)
    if task.name in contract.ONE_BY_ONE_TASKS_OF_ROLLING:
        client.tasks.rerun(failed_instance_loop(client, task).id, reset=False)
        return task.name
    client.tasks.rerun(task.id, reset=task.name not in contract.PER_HOST_TASKS)
    return task.name


def failed_instance_loop(client, task):
    """The failed one-instance-at-a-time loop under a `vnf` task: rerun without
    reset, it asks again about the instance that failed and goes on from there
    (Mistral keeps the option for with-items tasks only)."""
    for execution in client.executions.list(task=task.id):
        for inner in client.tasks.list(workflow_execution_id=execution.id):
            if inner.name == contract.ONE_BY_ONE_LOOP_TASK and inner.state == "ERROR":
                return inner
    raise CannotContinue("task %s failed, but no instance of it did: start a new session"
                         % task.name)


def add_arguments(parser):
    parser.add_argument("session_id", help="the session id (the execution id of maintenance.rolling)")
    parser.add_argument("--mistral-url", help="Mistral API URL (default: OS_MISTRAL_URL)")


def run(args, out=None):
    from rolling_maintenance import status

    out = out or sys.stdout
    client = status.client_or_exit(args.mistral_url, "continue")
    try:
        name = continue_session(client, args.session_id)
    except CannotContinue as exc:
        print("continue: %s" % exc, file=sys.stderr)
        return 2
    print("session %s continues: task %s rerun" % (args.session_id, name), file=out)
    return 0
