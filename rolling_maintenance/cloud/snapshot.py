"""The cloud as the planner sees it: hosts, instances and groups in one plain dict."""

from rolling_maintenance.cloud.groups import list_server_groups
from rolling_maintenance.cloud.hosts import list_compute_hosts
from rolling_maintenance.cloud.servers import list_servers

HOST_FIELDS = ("name", "vcpus", "ram_mb", "cpu_allocation_ratio", "ram_allocation_ratio",
               "reserved_vcpus", "reserved_host_memory_mb", "state")


def snapshot(conn):
    """`{"hosts": [...], "instances": [...], "groups": [...]}` in the planner's inventory format.

    hosts: `{"name","vcpus","ram_mb","cpu_allocation_ratio","ram_allocation_ratio",
    "reserved_vcpus","reserved_host_memory_mb","enabled","state"}` (capacity as
    Placement counts it; `enabled` false when the service is disabled or down);
    instances: `{"id","name","project_id","host","vcpus","ram_mb","group_id","status"}`
    (`group_id` from group membership, None outside any group);
    groups: `{"group_id","project_id","name","policy"}`.
    """
    hosts = list_compute_hosts(conn)
    groups = list_server_groups(conn)
    servers = list_servers(conn)
    group_of = {}
    for group in groups:
        for member in group["members"]:
            group_of.setdefault(member, group["group_id"])
    return {
        # A host whose nova-compute is down takes no instances, whatever its
        # status says: the planner must not pick it as a target.
        "hosts": [dict({key: h[key] for key in HOST_FIELDS},
                       enabled=h["enabled"] and h["state"] == "up")
                  for h in hosts],
        "instances": [{
            "id": s["id"],
            "name": s["name"],
            "project_id": s["project_id"],
            "host": s["host"],
            "vcpus": s["vcpus"],
            "ram_mb": s["ram_mb"],
            "group_id": group_of.get(s["id"]),
            "status": s["status"],
        } for s in sorted(servers, key=lambda s: (s["host"] or "", s["name"] or "", s["id"]))],
        "groups": [{key: g[key] for key in ("group_id", "project_id", "name", "policy")}
                   for g in sorted(groups, key=lambda g: g["group_id"])],
    }
