"""Follow a Mistral execution and report each task as it changes state."""

import time

FINAL_STATES = ("SUCCESS", "ERROR", "CANCELLED")


def follow_execution(client, execution_id, report, timeout=600, poll=0.5):
    """Poll until the execution ends; call `report(line)` on every change.

    Returns the final execution resource.
    """
    seen = {}
    deadline = time.monotonic() + timeout
    while True:
        execution = client.executions.get(execution_id)
        for task in client.tasks.list(workflow_execution_id=execution_id):
            if seen.get(task.id) != task.state:
                seen[task.id] = task.state
                report("  task %-22s %s" % (task.name, task.state))
        if execution.state in FINAL_STATES:
            return execution
        if time.monotonic() > deadline:
            raise TimeoutError("execution %s still %s after %ds" % (
                execution_id, execution.state, timeout))
        time.sleep(poll)


def follow_session(client, session_id, report, timeout=600, poll=0.5):
    """Show a session's progress line (state, hosts, migrations, pending
    replies) whenever it changes, until the session ends."""
    from rolling_maintenance import status

    last = None
    deadline = time.monotonic() + timeout
    while True:
        current = status.session_progress(client, session_id)
        line = status.format_progress(current)
        if line != last:
            report("  " + line)
            last = line
        if current["execution_state"] in FINAL_STATES:
            return current
        if time.monotonic() > deadline:
            raise TimeoutError("session %s still running after %ds" % (session_id, timeout))
        time.sleep(poll)
