"""Nova os-services (list, update by id) and os-hypervisors.

From 2.53 services and hypervisors are addressed by UUID; from 2.88 the
hypervisor views lose their capacity fields (vcpus, memory_mb...), as Nova's.
`cpu_info` is a JSON object from 2.28, a JSON string before.
"""

import json

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.web import nova_common, stamps
from rolling_maintenance.sim.web.request import Response

UUID_IDS = (2, 53)
NO_CAPACITY = (2, 88)
CPU_INFO_OBJECT = (2, 28)
CPU_INFO = {"arch": "x86_64", "model": "qemu64", "vendor": "Intel"}


def _service_view(request, service):
    mv = request.microversion
    view = {
        "id": service.id if mv >= UUID_IDS else service.legacy_id,
        "binary": service.binary, "host": service.host, "zone": service.zone,
        "status": "enabled" if service.enabled else "disabled",
        "state": "up" if service.up else "down",
        "disabled_reason": service.disabled_reason,
        "updated_at": stamps.micro(request.model, service.updated_at),
    }
    if mv >= (2, 11):
        view["forced_down"] = service.forced_down
    return view


def list_services(request):
    nova_common.require_admin(request, "os_compute_api:os-services:list")
    binary, host = request.arg("binary"), request.arg("host")
    found = [s for s in request.model.services.values()
             if (binary is None or s.binary == binary) and (host is None or s.host == host)]
    return Response(200, {"services": [_service_view(request, s) for s in found]})


def update_service(request):
    nova_common.require_admin(request, "os_compute_api:os-services:update")
    if request.microversion < UUID_IDS:
        raise errors.BadRequest("The simulated Nova updates services by id: use microversion 2.53 "
                                "or later")
    body = request.json_object()
    nova_common.check_keys(body, ["status", "disabled_reason", "forced_down"], "service")
    status, reason, forced = body.get("status"), body.get("disabled_reason"), body.get("forced_down")
    if status is not None and status not in ("enabled", "disabled"):
        raise errors.BadRequest("Invalid input for field/attribute status. Value: %r. %r is not one "
                                "of ['enabled', 'disabled']" % (status, status))
    if reason is not None and (not isinstance(reason, str) or not 1 <= len(reason) <= 255):
        raise errors.BadRequest("Invalid input for field/attribute disabled_reason. Value: %r. "
                                "A string of 1 to 255 characters is expected" % (reason,))
    if forced is not None and not isinstance(forced, bool):
        raise errors.BadRequest("Invalid input for field/attribute forced_down. Value: %r. %r is "
                                "not of type 'boolean'" % (forced, forced))
    service = request.model.update_service(request.params["service_id"], status, reason, forced)
    return Response(200, {"service": _service_view(request, service)})


def _hypervisor_view(request, host, used, detail):
    mv, service = request.microversion, host.service
    view = {
        "id": host.hypervisor_id if mv >= UUID_IDS else service.legacy_id,
        "hypervisor_hostname": host.name,
        "state": "up" if service.up else "down",
        "status": "enabled" if service.enabled else "disabled",
    }
    if request.arg("with_servers") is not None and nova_common.flag("with_servers", request.arg("with_servers")):
        view["servers"] = [{"name": "instance-%08x" % s.seq, "uuid": s.id}
                           for s in request.model.servers.values() if s.host == host.name]
    if not detail:
        return view
    view.update({
        "host_ip": "192.168.0.%d" % (service.legacy_id % 250 + 1),
        "hypervisor_type": "QEMU", "hypervisor_version": 8002000,
        "service": {"host": host.name, "id": service.id if mv >= UUID_IDS else service.legacy_id,
                    "disabled_reason": service.disabled_reason},
    })
    if mv >= NO_CAPACITY:
        view["uptime"] = None
        return view
    vcpus_used, ram_used, _ = used
    # Nova counts its reserved_host_memory_mb as used, even on an empty host.
    ram_used += host.reserved_host_memory_mb
    disk_used = sum(s.flavor.disk_gb for s in request.model.servers.values() if host.name in s.claims)
    view.update({
        "vcpus": host.vcpus, "vcpus_used": vcpus_used,
        "memory_mb": host.ram_mb, "memory_mb_used": ram_used, "free_ram_mb": host.ram_mb - ram_used,
        "local_gb": host.disk_gb, "local_gb_used": disk_used, "free_disk_gb": host.disk_gb - disk_used,
        "disk_available_least": host.disk_gb - disk_used,
        "running_vms": sum(1 for s in request.model.servers.values() if s.host == host.name),
        "current_workload": 0,
        "cpu_info": (CPU_INFO if mv >= CPU_INFO_OBJECT else json.dumps(CPU_INFO)),
    })
    return view


def _hypervisors(request):
    nova_common.require_admin(request, "os_compute_api:os-hypervisors:list")
    pattern = request.arg("hypervisor_hostname_pattern")
    return [h for h in request.model.hosts.values() if pattern is None or pattern in h.name]


def list_hypervisors(request):
    used = request.model.usage()
    return Response(200, {"hypervisors": [_hypervisor_view(request, h, used[h.name], False)
                                          for h in _hypervisors(request)]})


def list_hypervisors_detail(request):
    used = request.model.usage()
    return Response(200, {"hypervisors": [_hypervisor_view(request, h, used[h.name], True)
                                          for h in _hypervisors(request)]})


def show_hypervisor(request):
    wanted = request.params["hypervisor_id"]
    for host in _hypervisors(request):
        if wanted in (host.hypervisor_id, str(host.service.legacy_id)):
            used = request.model.usage()[host.name]
            return Response(200, {"hypervisor": _hypervisor_view(request, host, used, True)})
    raise errors.NotFound("Hypervisor with ID '%s' could not be found." % wanted)
