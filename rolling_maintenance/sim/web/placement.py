"""Placement under /placement: the subset openstacksdk reads capacity with
(resource providers, their inventories and usages), admin only as Placement's
default policy has it, in Placement's error shape.

One resource provider per compute host, named after it, with VCPU and
MEMORY_MB inventories carrying the host's allocation ratios and reserved
memory; usages count every claim, a migrating server on both hosts, as
Placement's allocations do.
"""

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.model.core import stable_uuid
from rolling_maintenance.sim.web import front
from rolling_maintenance.sim.web.request import Response

MAX_VERSION = "1.39"


def provider_uuid(host):
    return stable_uuid("resource_provider", host.name)


def _provider_view(request, host, generation):
    base = "%s/placement/resource_providers/%s" % (request.base_url, provider_uuid(host))
    return {
        "uuid": provider_uuid(host), "name": host.name, "generation": generation,
        "parent_provider_uuid": None, "root_provider_uuid": provider_uuid(host),
        "links": [{"rel": "self", "href": base},
                  {"rel": "inventories", "href": base + "/inventories"},
                  {"rel": "usages", "href": base + "/usages"}],
    }


def _inventories(host):
    return {
        "VCPU": {"total": host.vcpus, "reserved": 0, "min_unit": 1, "max_unit": host.vcpus,
                 "step_size": 1, "allocation_ratio": host.cpu_allocation_ratio},
        "MEMORY_MB": {"total": host.ram_mb, "reserved": host.reserved_host_memory_mb,
                      "min_unit": 1, "max_unit": host.ram_mb, "step_size": 1,
                      "allocation_ratio": host.ram_allocation_ratio},
    }


class PlacementFront(front.Front):
    prefix = "/placement"
    public_paths = ("",)

    def add_routes(self, router):
        router.add("GET", "", self.versions)
        router.add("GET", "/resource_providers", self.list_providers)
        router.add("GET", "/resource_providers/{uuid}", self.show_provider)
        router.add("GET", "/resource_providers/{uuid}/inventories", self.inventories)
        router.add("GET", "/resource_providers/{uuid}/usages", self.usages)

    def before(self, request):
        if request.path.rstrip("/") != self.prefix and not request.actor.is_admin:
            raise errors.Forbidden("Policy does not allow placement:resource_providers:list "
                                   "to be performed.")

    def after(self, request, response):
        response.headers.setdefault("OpenStack-API-Version", "placement 1.0")

    def versions(self, request):
        return Response(200, {"versions": [{
            "id": "v1.0", "max_version": MAX_VERSION, "min_version": "1.0",
            "status": "CURRENT",
            "links": [{"rel": "self", "href": "%s/placement/" % request.base_url}]}]})

    def _host(self, request):
        wanted = request.params["uuid"]
        for host in request.model.hosts.values():
            if provider_uuid(host) == wanted:
                return host
        raise errors.NotFound("No resource provider with uuid %s found" % wanted)

    def list_providers(self, request):
        name = request.arg("name")
        hosts = [h for h in request.model.hosts.values() if name is None or h.name == name]
        return Response(200, {"resource_providers": [_provider_view(request, h, 1)
                                                     for h in hosts]})

    def show_provider(self, request):
        return Response(200, _provider_view(request, self._host(request), 1))

    def inventories(self, request):
        return Response(200, {"inventories": _inventories(self._host(request)),
                              "resource_provider_generation": 1})

    def usages(self, request):
        host = self._host(request)
        vcpus, ram_mb, _ = request.model.usage()[host.name]
        return Response(200, {"usages": {"VCPU": vcpus, "MEMORY_MB": ram_mb},
                              "resource_provider_generation": 1})

    def error_body(self, status, message):
        return {"errors": [{"status": status, "title": message, "detail": message,
                            "request_id": None}]}
