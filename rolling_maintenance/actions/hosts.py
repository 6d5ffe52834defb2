"""Actions on compute hosts: list them, take them out of service, run their
plug-ins once each, give them back."""

import datetime

from mistral_lib import actions

from rolling_maintenance import cloud
from rolling_maintenance.actions import base
from rolling_maintenance.mistral import client as mistral_client
from rolling_maintenance.mistral import executions, session_records
from rolling_maintenance.workflow import contract, session_step


class ListHostsAction(base.CloudAction):
    """Every nova-compute host with its state and capacity."""

    def run_with(self, conn, context):
        return cloud.list_compute_hosts(conn)


class DisableHostAction(base.CloudAction):
    """Stop new instances landing on `host`; a no-op when already disabled so.

    For a session, the reason is the session's own (`maintenance <session
    id>`), by which cancelling the session finds the host again, and a host
    the session's record says is maintained and back is left in service.
    """

    def __init__(self, host, reason=None, session_id=None):
        self.host = host
        self.reason = reason
        self.session_id = session_id

    def run_with(self, conn, context):
        if not (self.reason or self.session_id):
            return base.error_result("invalid_input", "disable_host needs a reason or a session_id",
                                     {"host": self.host})
        if self.session_id and self._maintained(context):
            return {"host": self.host, "enabled": True, "changed": False, "maintained": True}
        reason = self.reason or contract.disable_reason(self.session_id)
        changed = cloud.disable_host(conn, self.host, reason)
        return {"host": self.host, "enabled": False, "changed": changed}

    def _maintained(self, context):
        record = session_records.read_host(mistral_client.for_action(context), self.session_id, self.host)
        return bool(record["maintained_at"])


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


class NextHostPluginAction(actions.Action):
    """Which host plug-in runs next on `host`: the first one that has not
    succeeded there in this session (`{"index", "plugin"}`, both null when
    all did), by Mistral's own record of the session's plug-in runs. A
    plug-in that succeeded never runs again, and after a failure the host
    goes on with the one that failed."""

    def __init__(self, session_id, host, plugins):
        self.session_id = session_id
        self.host = host
        self.plugins = plugins

    def run(self, context):
        client = mistral_client.for_action(context)
        done = executions.plugins_succeeded(client, self.session_id, self.host)
        return dict(session_step.next_host_plugin(done, self.plugins or []), host=self.host)


class HostBackAction(base.CloudAction):
    """Once the nova-compute of `host` is up, note the host maintained by the
    session and give it back to the scheduler (noted first: a rerun then
    finds the host done and does not take it out again). A host not up is an
    error naming it, and stays out of service: the workflow asks again (its
    retry policy) until the session's `host_return_timeout` has passed."""

    def __init__(self, host, session_id):
        self.host = host
        self.session_id = session_id

    def run_with(self, conn, context):
        if not cloud.compute_service_up(conn, self.host):
            return base.error_result(
                "host_not_back", "host %s: its nova-compute is not up after its maintenance" % self.host,
                {"host": self.host})
        at = datetime.datetime.now(datetime.timezone.utc).isoformat()
        session_records.record_maintained(mistral_client.for_action(context), self.session_id,
                                          self.host, at)
        changed = cloud.enable_host(conn, self.host)
        return {"host": self.host, "enabled": True, "changed": changed, "up": True}
