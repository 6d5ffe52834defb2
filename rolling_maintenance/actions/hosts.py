"""Actions on compute hosts: list them, take them out of service, give them back."""

from rolling_maintenance import cloud
from rolling_maintenance.actions import base
from rolling_maintenance.workflow import contract


class ListHostsAction(base.CloudAction):
    """Every nova-compute host with its state and capacity."""

    def run_with(self, conn, context):
        return cloud.list_compute_hosts(conn)


class DisableHostAction(base.CloudAction):
    """Stop new instances landing on `host`; a no-op when already disabled so.

    For a session, the reason is the session's own (`maintenance <session
    id>`), by which cancelling the session finds the host again.
    """

    def __init__(self, host, reason=None, session_id=None):
        self.host = host
        self.reason = reason
        self.session_id = session_id

    def run_with(self, conn, context):
        if not (self.reason or self.session_id):
            return base.error_result("invalid_input", "disable_host needs a reason or a session_id",
                                     {"host": self.host})
        reason = self.reason or contract.disable_reason(self.session_id)
        changed = cloud.disable_host(conn, self.host, reason)
        return {"host": self.host, "enabled": False, "changed": changed}


class EnableHostAction(base.CloudAction):
    """Give `host` back to the scheduler; a no-op when already enabled."""

    def __init__(self, host):
        self.host = host

    def run_with(self, conn, context):
        changed = cloud.enable_host(conn, self.host)
        return {"host": self.host, "enabled": True, "changed": changed}


class EmptyHostAction(base.CloudAction):
    """Live-migrate every instance off `host`, letting Nova pick the targets.

    Instances already gone from the host are skipped, so a rerun after a crash
    moves only what is still there.
    """

    def __init__(self, host, timeout=600):
        self.host = host
        self.timeout = timeout

    def run_with(self, conn, context):
        moved = []
        for server in cloud.list_servers(conn, host=self.host):
            moved.append(cloud.live_migrate(
                conn, server["id"], source_host=self.host, timeout=self.timeout))
        return {"host": self.host, "moved": moved}
