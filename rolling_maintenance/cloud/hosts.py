"""Compute hosts: their nova-compute service, their capacity, taking them out and back."""

from openstack import utils as sdk_utils

from rolling_maintenance.cloud.errors import CloudError, translated

COMPUTE_BINARY = "nova-compute"

# Microversion 2.88 removed vcpus, memory_mb and their *_used counterparts from
# os-hypervisors, and openstacksdk 4.22 negotiates 2.88 for `hypervisors()`. The
# last microversion that still reports capacity is 2.87, so we ask for it.
CAPACITY_MICROVERSION = "2.87"


def compute_services(conn):
    """Every nova-compute service (other binaries are filtered out here)."""
    with translated():
        return [s for s in conn.compute.services() if s.binary == COMPUTE_BINARY]


def find_compute_service(conn, host):
    """The nova-compute service of `host`; CloudError `not_found` when there is none."""
    if not host or not isinstance(host, str):
        raise CloudError("bad_request", f"host must be a non-empty string, got {host!r}")
    for service in compute_services(conn):
        if service.host == host:
            return service
    raise CloudError("not_found", f"no nova-compute service on host '{host}'", {"host": host})


def host_capacity(conn):
    """`{host: {"vcpus", "ram_mb", "vcpus_used", "ram_mb_used"}}` from os-hypervisors.

    Asked at microversion 2.87 when the cloud is at 2.88 or later (see
    CAPACITY_MICROVERSION); older clouds answer with capacity at their own
    version. Hypervisors are keyed by their service host, which is what Nova's
    other APIs call the host (the hypervisor hostname can be an FQDN).
    openstacksdk flags these fields as removed (RemovedFieldWarning); at 2.87
    they are still there.
    """
    capacity = {}
    with translated():
        pinned = (CAPACITY_MICROVERSION
                  if sdk_utils.supports_microversion(conn.compute, "2.88") else None)
        for hyp in conn.compute.hypervisors(details=True, microversion=pinned):
            host = (hyp.service_details or {}).get("host") or hyp.name
            totals = capacity.setdefault(
                host, {"vcpus": 0, "ram_mb": 0, "vcpus_used": 0, "ram_mb_used": 0})
            totals["vcpus"] += hyp.vcpus or 0
            totals["ram_mb"] += hyp.memory_size or 0
            totals["vcpus_used"] += hyp.vcpus_used or 0
            totals["ram_mb_used"] += hyp.memory_used or 0
    return capacity


def list_compute_hosts(conn):
    """One dict per nova-compute service, with its state and capacity.

    `{"name", "service_id", "enabled", "state", "disabled_reason", "vcpus",
    "ram_mb", "vcpus_used", "ram_mb_used"}`; capacity is 0 for a host Nova has
    no hypervisor record for yet (it cannot take instances).
    """
    capacity = host_capacity(conn)
    hosts = []
    for service in compute_services(conn):
        cap = capacity.get(service.host, {})
        hosts.append({
            "name": service.host,
            "service_id": service.id,
            "enabled": service.status == "enabled",
            "state": service.state,
            "disabled_reason": service.disabled_reason,
            "vcpus": cap.get("vcpus", 0),
            "ram_mb": cap.get("ram_mb", 0),
            "vcpus_used": cap.get("vcpus_used", 0),
            "ram_mb_used": cap.get("ram_mb_used", 0),
        })
    return sorted(hosts, key=lambda h: h["name"])


def disable_host(conn, host, reason):
    """Stop the scheduler placing instances on `host`; True if this call changed it.

    Idempotent: a host already disabled with the same reason is left alone.
    The update goes by service id and carries both `status` and
    `disabled_reason`: openstacksdk's `disable_service` sends only the fields
    that differ from what it read, so on an already disabled service it sends
    the reason alone, which Nova rejects with 400.
    """
    if not reason or not isinstance(reason, str):
        raise CloudError("bad_request", f"reason must be a non-empty string, got {reason!r}")
    service = find_compute_service(conn, host)
    if service.status == "disabled" and service.disabled_reason == reason:
        return False
    with translated(host=host):
        conn.compute.update_service(service.id, status="disabled", disabled_reason=reason)
    return True


def enable_host(conn, host):
    """Give `host` back to the scheduler; True if this call changed it, False if already enabled.

    Only `status` is sent: Nova refuses a `disabled_reason` with `enabled`.
    """
    service = find_compute_service(conn, host)
    if service.status == "enabled":
        return False
    with translated(host=host):
        conn.compute.update_service(service.id, status="enabled")
    return True
