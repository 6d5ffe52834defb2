"""Mistral's own API, as the actions need it: plug-in look-ups and failures.

The embedded stack tells its actions where Mistral is through
`ROLLING_MAINTENANCE_MISTRAL_URL`; on a cloud with Keystone the URL comes
from the service catalog of the caller's token (service type workflowv2).
"""

import json
import os

MISTRAL_URL_ENV = "ROLLING_MAINTENANCE_MISTRAL_URL"
WORKFLOW_SERVICE_TYPES = ("workflowv2", "workflow")


def _catalog_url(security):
    catalog = getattr(security, "service_catalog", None) or {}
    if isinstance(catalog, dict):
        catalog = catalog.get("catalog") or catalog.get("token", {}).get("catalog") or []
    for service in catalog:
        if service.get("type") in WORKFLOW_SERVICE_TYPES:
            for endpoint in service.get("endpoints", []):
                if endpoint.get("interface") in ("internal", "public"):
                    return endpoint["url"]
    return None


def mistral_client(context=None):
    """A python-mistralclient client acting for the caller of the action."""
    from mistralclient.api import client

    security = getattr(context, "security", None)
    token = getattr(security, "auth_token", None)
    url = os.environ.get(MISTRAL_URL_ENV) or _catalog_url(security)
    if not url:
        from rolling_maintenance.cloud.errors import CloudError
        raise CloudError("no_mistral", "cannot find the Mistral API: set %s or run with Keystone" % MISTRAL_URL_ENV)
    return client.client(mistral_url=url, auth_token=token)


def _exists(manager, name):
    from mistralclient.api import base

    try:
        manager.get(name)
        return True
    except base.APIException as exc:
        if exc.error_code == 404:
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
            sub_input = json.loads(sub.input) if isinstance(sub.input, str) else (sub.input or {})
            found.extend(failed_tasks(client, sub.id, sub_input))
    return found


def cancel_execution(client, execution_id):
    """Cancel an execution that is still running or paused; True when changed.

    A failed (ERROR) or finished execution has ended already and stays as it
    is: Mistral keeps its state.
    """
    from mistralclient.api import base

    try:
        execution = client.executions.get(execution_id)
        if execution.state not in ("RUNNING", "PAUSED", "IDLE"):
            return False
        client.executions.update(execution_id, "CANCELLED")
    except base.APIException as exc:
        from rolling_maintenance.cloud.errors import CloudError
        code = "not_found" if exc.error_code == 404 else "cancel_failed"
        raise CloudError(code, "session %s: %s" % (execution_id, exc.error_message),
                         {"session_id": execution_id}) from None
    return True
