"""Register the sample plug-ins with a running Mistral, through its own API.

A production install lists only the product's actions: Mistral reads those
from the `mistral.actions` entry points, and no sample is among them. The
samples are added to a Mistral that should have them (the embedded stack of
the demo and the tests, a test bed) the way an operator adds an action
without installing a package: a code source and dynamic actions (Mistral's
`code-source-create` / `dynamic-action-create`), plus the samples' workbook.
The code source only imports the classes from this package, so every api,
engine and executor that runs them still needs the package installed.
"""

from rolling_maintenance.mistral import workbooks

CODE_SOURCE = "rolling_maintenance_samples"
ACTION_PREFIX = "maintenance_samples."
# action name -> class in rolling_maintenance.samples.actions
ACTIONS = {
    "maintenance_samples.sim_host_work": "SimulatedHostWorkAction",
}
WORKBOOK = "maintenance_samples"


def code_source_text():
    """The Python module Mistral loads the sample action classes from."""
    names = ", ".join(sorted(set(ACTIONS.values())))
    return ('"""The sample plug-in actions of rolling-maintenance."""\n\n'
            "from rolling_maintenance.samples.actions import %s  # noqa: F401\n" % names)


def _get(manager, name):
    from mistralclient.api import base

    try:
        return manager.get(name)
    except base.APIException as exc:
        if exc.error_code == 404:
            return None
        raise


def register(client):
    """Create or update the samples' code source, actions and workbook.

    Idempotent: what is already there as wanted is left alone. Returns
    `{name: "created" | "updated" | "unchanged"}`.
    """
    done = {}
    text = code_source_text()
    source = _get(client.code_sources, CODE_SOURCE)
    if source is None:
        client.code_sources.create(CODE_SOURCE, text)
        done[CODE_SOURCE] = "created"
    elif source.content != text:
        client.code_sources.update(CODE_SOURCE, text)
        done[CODE_SOURCE] = "updated"
    else:
        done[CODE_SOURCE] = "unchanged"
    for name, class_name in sorted(ACTIONS.items()):
        action = _get(client.dynamic_actions, name)
        if action is None:
            client.dynamic_actions.create(name, class_name, CODE_SOURCE)
            done[name] = "created"
        elif action.class_name != class_name or done[CODE_SOURCE] == "updated":
            client.dynamic_actions.update(name, class_name=class_name, code_source=CODE_SOURCE)
            done[name] = "updated"
        else:
            done[name] = "unchanged"
    done.update(workbooks.sync_workbooks(client, paths=[workbooks.samples_workbook_file()]))
    return done
