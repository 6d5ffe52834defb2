"""Sample plug-in actions: what a host plug-in looks like to the workflow.

Registered as `maintenance_samples.*` by `samples.registry`, never under the
product's `mistral.actions` entry points.
"""

from rolling_maintenance.actions import base
from rolling_maintenance.samples import simulator_work


class SimulatedHostWorkAction(base.CloudAction):
    """Do `label` work on a host of the simulated cloud for `duration_s`.

    Takes the plug-in parameters every plug-in gets (`host`, `session_id`,
    `metadata`); `metadata` may set `label` and `duration_s`.
    """

    def __init__(self, host, session_id=None, metadata=None):
        self.host = host
        self.session_id = session_id
        self.metadata = metadata or {}

    def run_with(self, conn, context):
        return simulator_work.run_host_work(
            conn, self.host, self.metadata.get("label", "upgrade"),
            self.metadata.get("duration_s", 30), key=self.session_id)
