"""Follow a Mistral execution and report each task as it changes state."""

import json
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


def execution_output(execution):
    return json.loads(execution.output or "{}")
