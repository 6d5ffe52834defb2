"""Nova flavors: the standard ones and one per instance size of the inventory."""

from rolling_maintenance.sim.web import nova_server_view
from rolling_maintenance.sim.web.request import Response


def _flavor_view(request, flavor, detail):
    mv = request.microversion
    view = {"id": flavor.id, "name": flavor.name,
            "links": nova_server_view.links(request, "flavors", flavor.id)}
    if mv >= (2, 55):
        view["description"] = None
    if not detail:
        return view
    view.update({"vcpus": flavor.vcpus, "ram": flavor.ram_mb, "disk": flavor.disk_gb,
                 "OS-FLV-EXT-DATA:ephemeral": 0, "OS-FLV-DISABLED:disabled": False,
                 "swap": 0 if mv >= (2, 75) else "", "rxtx_factor": 1.0,
                 "os-flavor-access:is_public": True})
    if mv >= (2, 61):
        view["extra_specs"] = {}
    return view


def _flavors(request):
    return sorted(request.model.flavors.values(), key=lambda f: (f.ram_mb, f.vcpus, f.id))


def list_flavors(request):
    return Response(200, {"flavors": [_flavor_view(request, f, False) for f in _flavors(request)]})


def list_flavors_detail(request):
    return Response(200, {"flavors": [_flavor_view(request, f, True) for f in _flavors(request)]})


def show_flavor(request):
    flavor = request.model.flavor(request.params["flavor_id"])
    return Response(200, {"flavor": _flavor_view(request, flavor, True)})


def flavor_extra_specs(request):
    request.model.flavor(request.params["flavor_id"])
    return Response(200, {"extra_specs": {}})
