"""Compute hosts: their nova-compute service, their capacity, taking them out and back."""

import logging

from openstack import utils as sdk_utils

from rolling_maintenance.cloud.errors import CloudError, translated

COMPUTE_BINARY = "nova-compute"
LOG = logging.getLogger(__name__)
_NO_CAPACITY = {"vcpus": 0, "ram_mb": 0, "vcpus_used": 0, "ram_mb_used": 0,
                "cpu_allocation_ratio": 1.0, "ram_allocation_ratio": 1.0,
                "reserved_vcpus": 0, "reserved_host_memory_mb": 0}

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
    """`{host: {"vcpus", "ram_mb", "vcpus_used", "ram_mb_used", "cpu_allocation_ratio",
    "ram_allocation_ratio", "reserved_vcpus", "reserved_host_memory_mb", "source"}}`.

    Nova schedules against Placement: a host takes
    `(total - reserved) * allocation_ratio` of each resource. So the figures
    come from Placement (each host's VCPU and MEMORY_MB inventories and
    usages), and from os-hypervisors (ratios 1.0, nothing reserved, `source`
    "hypervisors") only where Placement is unreachable. Hypervisors map
    Placement's providers (named after the hypervisor node) to their service
    host, which is what Nova's other APIs call the host.
    """
    nodes, capacity = _hypervisor_capacity(conn)
    try:
        from_placement = _placement_capacity(conn, nodes)
    except CloudError as exc:
        if exc.code not in ("unavailable", "forbidden", "not_found"):
            raise
        LOG.warning("capacity from os-hypervisors (no allocation ratios, nothing reserved): "
                    "Placement is unreachable: %s", exc.message)
        return capacity
    capacity.update(from_placement)
    return capacity


def _hypervisor_capacity(conn):
    """({node: service host}, capacity from os-hypervisors).

    Asked at microversion 2.87 when the cloud is at 2.88 or later (see
    CAPACITY_MICROVERSION); older clouds answer with capacity at their own
    version. openstacksdk flags these fields as removed (RemovedFieldWarning);
    at 2.87 they are still there.
    """
    nodes, capacity = {}, {}
    with translated():
        pinned = (CAPACITY_MICROVERSION
                  if sdk_utils.supports_microversion(conn.compute, "2.88") else None)
        for hyp in conn.compute.hypervisors(details=True, microversion=pinned):
            host = (hyp.service_details or {}).get("host") or hyp.name
            nodes[hyp.name] = host
            totals = capacity.setdefault(host, dict(_NO_CAPACITY, source="hypervisors"))
            totals["vcpus"] += hyp.vcpus or 0
            totals["ram_mb"] += hyp.memory_size or 0
            totals["vcpus_used"] += hyp.vcpus_used or 0
            totals["ram_mb_used"] += hyp.memory_used or 0
    return nodes, capacity


def _placement_capacity(conn, nodes):
    """Capacity of the hosts whose node Placement knows, from its inventories and usages."""
    capacity = {}
    with translated():
        for provider in conn.placement.resource_providers():
            host = nodes.get(provider.name)
            if host is None:
                continue
            inventories = {i.resource_class: i for i in
                           conn.placement.resource_provider_inventories(provider)}
            usages = conn.placement.fetch_resource_provider_usages(provider).usages or {}
            vcpu, memory = inventories.get("VCPU"), inventories.get("MEMORY_MB")
            totals = capacity.setdefault(host, dict(_NO_CAPACITY, source="placement"))
            if vcpu is not None:
                totals["vcpus"] += vcpu.total or 0
                totals["reserved_vcpus"] += vcpu.reserved or 0
                totals["cpu_allocation_ratio"] = vcpu.allocation_ratio or 1.0
            if memory is not None:
                totals["ram_mb"] += memory.total or 0
                totals["reserved_host_memory_mb"] += memory.reserved or 0
                totals["ram_allocation_ratio"] = memory.allocation_ratio or 1.0
            totals["vcpus_used"] += usages.get("VCPU", 0)
            totals["ram_mb_used"] += usages.get("MEMORY_MB", 0)
    return capacity


def list_compute_hosts(conn):
    """One dict per nova-compute service, with its state and capacity.

    `{"name", "service_id", "enabled", "state", "disabled_reason", "vcpus",
    "ram_mb", "vcpus_used", "ram_mb_used", "cpu_allocation_ratio",
    "ram_allocation_ratio", "reserved_vcpus", "reserved_host_memory_mb",
    "capacity_source"}` (see host_capacity); capacity is 0 for a host Nova has
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
            **{key: cap.get(key, default) for key, default in _NO_CAPACITY.items()},
            "capacity_source": cap.get("source", "hypervisors"),
        })
    return sorted(hosts, key=lambda h: h["name"])


def compute_service_up(conn, host):
    """Whether the nova-compute service of `host` reports up (its heartbeats reach Nova)."""
    return find_compute_service(conn, host).state == "up"


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
