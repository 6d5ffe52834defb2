"""A server as Nova shows it, field by field as the microversion decides.

Non-admin callers do not see `OS-EXT-SRV-ATTR:*` (host, hypervisor...), as
with Nova's default policy.
"""

import hashlib

from rolling_maintenance.sim.model.servers import DEFAULT_NETWORK, NETWORK_NAMES
from rolling_maintenance.sim.web import stamps

_PROGRESS_STATUSES = ("ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING")


def compute_url(request):
    return request.base_url + "/compute/v2.1"


def links(request, collection, item_id):
    return [{"rel": "self", "href": "%s/%s/%s" % (compute_url(request), collection, item_id)},
            {"rel": "bookmark", "href": "%s/compute/%s/%s" % (request.base_url, collection, item_id)}]


def _host_id(server):
    if not server.host:
        return ""
    return hashlib.sha224((server.project_id + server.host).encode()).hexdigest()


def _addresses(server):
    if server.networks == "none":
        return {}
    n = server.seq
    return {NETWORK_NAMES[DEFAULT_NETWORK]: [{
        "version": 4, "addr": "10.0.%d.%d" % (n // 250, n % 250 + 2),
        "OS-EXT-IPS:type": "fixed",
        "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:%02x:%02x:%02x" % ((n >> 16) & 255, (n >> 8) & 255, n & 255),
    }]}


def flavor_view(request, flavor):
    if request.microversion >= (2, 47):
        return {"vcpus": flavor.vcpus, "ram": flavor.ram_mb, "disk": flavor.disk_gb, "ephemeral": 0,
                "swap": 0, "original_name": flavor.name, "extra_specs": {}}
    return {"id": flavor.id, "links": [links(request, "flavors", flavor.id)[1]]}


def summary(request, server):
    return {"id": server.id, "name": server.name, "links": links(request, "servers", server.id)}


def detail(request, server):
    model, mv, admin = request.model, request.microversion, request.actor.is_admin
    view = summary(request, server)
    view.update({
        "status": server.status,
        "tenant_id": server.project_id,
        "user_id": server.user_id,
        "metadata": dict(server.metadata),
        "hostId": _host_id(server),
        "image": ({"id": server.image_ref, "links": [links(request, "images", server.image_ref)[1]]}
                  if server.image_ref else ""),
        "flavor": flavor_view(request, server.flavor),
        "created": stamps.seconds_z(model, server.created),
        "updated": stamps.seconds_z(model, server.updated),
        "addresses": _addresses(server),
        "accessIPv4": "",
        "accessIPv6": "",
        "OS-DCF:diskConfig": "MANUAL",
        "OS-EXT-AZ:availability_zone": "nova" if server.host else "",
        "config_drive": "",
        "key_name": None,
        "OS-SRV-USG:launched_at": stamps.micro(model, server.launched_at),
        "OS-SRV-USG:terminated_at": None,
        "security_groups": [{"name": "default"}],
        "OS-EXT-STS:task_state": server.task_state,
        "OS-EXT-STS:vm_state": server.vm_state,
        "OS-EXT-STS:power_state": server.power_state,
        "os-extended-volumes:volumes_attached": [],
    })
    if server.status in _PROGRESS_STATUSES:
        view["progress"] = 100 if server.status == "ACTIVE" else 0
    if server.fault:
        view["fault"] = {"code": server.fault["code"], "message": server.fault["message"],
                         "created": stamps.seconds_z(model, server.fault["created"])}
        if admin:
            view["fault"]["details"] = server.fault["message"]
    if admin:
        view.update({
            "OS-EXT-SRV-ATTR:host": server.host,
            "OS-EXT-SRV-ATTR:hypervisor_hostname": server.host,
            "OS-EXT-SRV-ATTR:instance_name": "instance-%08x" % server.seq,
        })
        if mv >= (2, 3):
            view.update({
                "OS-EXT-SRV-ATTR:reservation_id": "r-%08x" % server.seq,
                "OS-EXT-SRV-ATTR:launch_index": 0,
                "OS-EXT-SRV-ATTR:hostname": server.name,
                "OS-EXT-SRV-ATTR:kernel_id": "",
                "OS-EXT-SRV-ATTR:ramdisk_id": "",
                "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda",
                "OS-EXT-SRV-ATTR:user_data": None,
            })
        if mv >= (2, 16):
            view["host_status"] = _host_status(request, server)
    if mv >= (2, 9):
        view["locked"] = False
    if mv >= (2, 19):
        view["description"] = None
    if mv >= (2, 26):
        view["tags"] = []
    if mv >= (2, 63):
        view["trusted_image_certificates"] = None
    if mv >= (2, 71):
        view["server_groups"] = [server.group_id] if _nova_group(request, server) else []
    if mv >= (2, 73):
        view["locked_reason"] = None
    if mv >= (2, 96):
        view["pinned_availability_zone"] = None
    return view


def _nova_group(request, server):
    group = request.model.groups.get(server.group_id)
    return group is not None and group.policy is not None


def _host_status(request, server):
    host = request.model.hosts.get(server.host)
    if host is None:
        return ""
    if host.service.forced_down or host.service.lost:
        return "DOWN"
    return "UP" if host.service.enabled else "MAINTENANCE"
