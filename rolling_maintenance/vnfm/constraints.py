"""What the sample VNFM tells the constraints API before a session: how much it can lose at once.

Its ACT-STDBY pair survives losing one member for a while, never both, and
never two on one host; each instance takes a live migration with about a
second of interruption and needs no warning ahead of it.
"""

import urllib.parse

from rolling_maintenance.vnfm.reply_client import ReplyApiError
from rolling_maintenance.workflow import contract

DEFAULT_RECOVERY_TIME = 10
MIGRATION_TYPE = contract.LIVE_MIGRATE
MAX_INTERRUPTION_TIME = 1
LEAD_TIME = 0


def check_recovery_time(recovery_time):
    if isinstance(recovery_time, bool) or not isinstance(recovery_time, int) or recovery_time < 0:
        raise ValueError("recovery_time must be a whole number of seconds >= 0, got %r"
                         % (recovery_time,))
    return recovery_time


def pair_group(project_id, group, recovery_time=DEFAULT_RECOVERY_TIME):
    """The instance group constraint for the anti-affinity pair `group` (`{"id","name"}`)."""
    return {
        "group_id": group["id"],
        "project_id": project_id,
        "group_name": group.get("name"),
        "anti_affinity_group": True,
        "max_instances_per_host": 1,
        "max_impacted_members": 1,
        "recovery_time": check_recovery_time(recovery_time),
        "resource_mitigation": False,
    }


def instance(project_id, instance_id, name=None, group_id=None):
    """The instance constraint of one of the VNFM's instances."""
    return {
        "instance_id": instance_id,
        "project_id": project_id,
        "group_id": group_id,
        "instance_name": name,
        "max_interruption_time": MAX_INTERRUPTION_TIME,
        "migration_type": MIGRATION_TYPE,
        "resource_mitigation": False,
        "lead_time": LEAD_TIME,
    }


def _url(base, collection, item_id):
    """`<base>/v1/<collection>/<id>`; `base` is the API's URL, or the catalog's,
    which carries the version already (`.../v1`)."""
    base = base.rstrip("/")
    if not base.endswith("/v1"):
        base += "/v1"
    return "%s/%s/%s" % (base, collection, urllib.parse.quote(item_id, safe=""))


def register(client, base_url, group, instances):
    """PUT the group constraint (when there is one) and every instance constraint.

    `client` is the VNFM's `ReplyClient` (same token and retries). Raises
    `ReplyApiError` on the first constraint the API does not accept.
    Returns the URLs written.
    """
    puts = []
    if group is not None:
        puts.append((_url(base_url, "instance_group", group["group_id"]), group))
    puts.extend((_url(base_url, "instance", item["instance_id"]), item) for item in instances)
    for url, body in puts:
        result = client.put(url, body)
        if result["status"] != 200:
            raise ReplyApiError("PUT %s answered %s: %s" % (url, result["status"], result["body"]),
                                result["status"], result["body"])
    return [url for url, _ in puts]
