"""The only place that talks to the cloud: openstacksdk and aodhclient behind plain functions.

Every function takes an open connection (`connect(context)`) and returns
plain dicts; expected failures raise `CloudError` with a stable `code`.
"""

from rolling_maintenance.cloud.alarms import create_event_alarm
from rolling_maintenance.cloud.alarms import delete_alarm
from rolling_maintenance.cloud.alarms import subscribed_projects
from rolling_maintenance.cloud.connection import clear_cache
from rolling_maintenance.cloud.connection import connect
from rolling_maintenance.cloud.errors import CloudError
from rolling_maintenance.cloud.groups import list_server_groups
from rolling_maintenance.cloud.hosts import compute_service_up
from rolling_maintenance.cloud.hosts import disable_host
from rolling_maintenance.cloud.hosts import enable_host
from rolling_maintenance.cloud.hosts import list_compute_hosts
from rolling_maintenance.cloud.migrations import cold_migrate
from rolling_maintenance.cloud.migrations import failed_migration_ids
from rolling_maintenance.cloud.migrations import live_migrate
from rolling_maintenance.cloud.migrations import wait_server_gone_or_moved
from rolling_maintenance.cloud.servers import create_server
from rolling_maintenance.cloud.servers import delete_server
from rolling_maintenance.cloud.servers import get_server
from rolling_maintenance.cloud.servers import list_servers
from rolling_maintenance.cloud.snapshot import snapshot

__all__ = [
    "CloudError",
    "clear_cache",
    "cold_migrate",
    "compute_service_up",
    "connect",
    "create_event_alarm",
    "create_server",
    "delete_alarm",
    "delete_server",
    "disable_host",
    "enable_host",
    "failed_migration_ids",
    "get_server",
    "list_compute_hosts",
    "list_server_groups",
    "list_servers",
    "live_migrate",
    "snapshot",
    "subscribed_projects",
    "wait_server_gone_or_moved",
]
