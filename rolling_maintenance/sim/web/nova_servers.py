"""Nova servers: list (with Nova's project scoping and admin-only filters),
show, boot and delete."""

import re
import secrets

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.model.servers import NETWORK_NAMES
from rolling_maintenance.sim.web import nova_common, nova_server_view
from rolling_maintenance.sim.web.request import Response

NETWORK_CHOICES = ("none", "auto")


def _scope(request):
    """The project filter for a listing, as Nova applies it."""
    all_tenants = request.arg("all_tenants")
    if all_tenants is not None and nova_common.flag("all_tenants", all_tenants):
        nova_common.require_admin(request, "os_compute_api:servers:detail:get_all_tenants")
        return request.arg("project_id") or request.arg("tenant_id")
    return request.actor.project_id


def _matcher(request):
    name = request.arg("name")
    try:
        name_re = re.compile(name) if name else None
    except re.error as exc:
        raise errors.BadRequest("Invalid regular expression for name: %s" % exc) from None
    statuses = {s.upper() for s in request.args("status")}
    host = request.arg("host") if request.actor.is_admin else None
    project = _scope(request)

    def matches(server):
        return ((project is None or server.project_id == project)
                and (name_re is None or name_re.search(server.name))
                and (not statuses or server.status in statuses)
                and (host is None or server.host == host))
    return matches


def _listing(request, detail):
    matches = _matcher(request)
    servers = sorted((s for s in request.model.servers.values() if matches(s)),
                     key=lambda s: (s.created, s.seq), reverse=True)
    view = nova_server_view.detail if detail else nova_server_view.summary
    items = [(s.id, view(request, s)) for s in servers]
    path = "/servers/detail" if detail else "/servers"
    page, extra = nova_common.paginate(request, items, path, "servers_links")
    body = {"servers": page}
    body.update(extra)
    return Response(200, body)


def list_servers(request):
    return _listing(request, detail=False)


def list_servers_detail(request):
    return _listing(request, detail=True)


def show_server(request):
    server = request.model.server(request.params["server_id"], request.actor)
    return Response(200, {"server": nova_server_view.detail(request, server)})


def _flavor(request, ref):
    if isinstance(ref, int) and not isinstance(ref, bool):
        ref = str(ref)
    if not isinstance(ref, str) or not ref:
        raise errors.BadRequest("Invalid input for field/attribute flavorRef. Value: %r." % (ref,))
    try:
        return request.model.flavor(ref.rstrip("/").rsplit("/", 1)[-1])
    except errors.NotFound as exc:
        raise errors.BadRequest(exc.message) from None


def _networks(request, spec):
    networks = spec.get("networks")
    if networks is None:
        if request.microversion >= (2, 37):
            raise errors.BadRequest("Invalid input for field/attribute server. 'networks' is a "
                                    "required property")
        return "auto"
    if networks in NETWORK_CHOICES:
        return networks
    if isinstance(networks, list) and all(isinstance(n, dict) for n in networks):
        return _named_networks(networks)
    raise errors.BadRequest("Invalid input for field/attribute networks. Value: %r. Expected "
                            "'none', 'auto' or a list of networks" % (networks,))


def _named_networks(networks):
    """The networks a boot names, each one the cloud has (ports: the simulator has none)."""
    for network in networks:
        if network.get("port") is not None:
            raise errors.BadRequest("Port id %s could not be found." % network["port"])
        if network.get("uuid") not in NETWORK_NAMES:
            raise errors.BadRequest("Network %s could not be found." % network.get("uuid"))
    return "list"


def _group_hint(body):
    hints = body.get("os:scheduler_hints", body.get("OS-SCH-HNT:scheduler_hints")) or {}
    if not isinstance(hints, dict):
        raise errors.BadRequest("Invalid input for field/attribute os:scheduler_hints: an object "
                                "is expected")
    group = hints.get("group")
    if group is not None and not isinstance(group, str):
        raise errors.BadRequest("Invalid input for field/attribute group. Value: %r." % (group,))
    return group


def create_server(request):
    body = request.json_object()
    spec = request.json_object("server")
    name = spec.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise errors.BadRequest("Invalid input for field/attribute name. Value: %r. A name of 1 "
                                "to 255 characters is required" % (name,))
    for key in ("min_count", "max_count"):
        if spec.get(key, 1) not in (1, "1"):
            raise errors.BadRequest("Invalid input for field/attribute %s: the simulated Nova "
                                    "boots one server per request" % key)
    image_ref = spec.get("imageRef", "")
    if not isinstance(image_ref, str):
        raise errors.BadRequest("Invalid input for field/attribute imageRef. Value: %r." % (image_ref,))
    if not image_ref:
        # Only a boot from volume goes without an image; the simulator has no volumes.
        raise errors.BadRequest("Missing imageRef attribute")
    metadata = spec.get("metadata") or {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise errors.BadRequest("Invalid input for field/attribute metadata: string values expected")
    group_id = _group_hint(body)
    if group_id is not None:
        try:
            request.model.group(group_id, request.actor)
        except errors.NotFound as exc:
            raise errors.BadRequest(exc.message) from None
    server = request.model.create_server(
        request.actor, name, _flavor(request, spec.get("flavorRef")), image_ref=image_ref,
        group_id=group_id, networks=_networks(request, spec), metadata=metadata)
    view = {"id": server.id, "links": nova_server_view.links(request, "servers", server.id),
            "OS-DCF:diskConfig": "MANUAL", "security_groups": [{"name": "default"}],
            "adminPass": secrets.token_urlsafe(9)}
    location = "%s/servers/%s" % (nova_server_view.compute_url(request), server.id)
    return Response(202, {"server": view}, {"Location": location})


def delete_server(request):
    request.model.delete_server(request.actor, request.params["server_id"])
    return Response(204)
