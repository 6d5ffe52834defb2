"""Nova v2.1 under /compute: routes, version documents, microversion headers
and Nova's error body (`{"itemNotFound": {"code": 404, "message": ...}}`)."""

from rolling_maintenance.sim.web import (
    front,
    microversion,
    nova_actions,
    nova_flavors,
    nova_groups,
    nova_instance_actions,
    nova_migrations,
    nova_servers,
    nova_services,
)
from rolling_maintenance.sim.web.request import Response

ERROR_NAMES = {400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "itemNotFound",
               405: "badMethod", 409: "conflictingRequest", 503: "serviceUnavailable"}


class NovaFront(front.Front):
    prefix = "/compute"
    public_paths = ("", "/v2.1")

    def add_routes(self, router):
        v = "/v2.1"
        router.add("GET", "", self.versions)
        router.add("GET", v, self.version)
        router.add("GET", v + "/os-services", nova_services.list_services)
        router.add("PUT", v + "/os-services/{service_id}", nova_services.update_service)
        router.add("GET", v + "/os-hypervisors", nova_services.list_hypervisors)
        router.add("GET", v + "/os-hypervisors/detail", nova_services.list_hypervisors_detail)
        router.add("GET", v + "/os-hypervisors/{hypervisor_id}", nova_services.show_hypervisor)
        router.add("GET", v + "/servers", nova_servers.list_servers)
        router.add("POST", v + "/servers", nova_servers.create_server)
        router.add("GET", v + "/servers/detail", nova_servers.list_servers_detail)
        router.add("GET", v + "/servers/{server_id}", nova_servers.show_server)
        router.add("DELETE", v + "/servers/{server_id}", nova_servers.delete_server)
        router.add("POST", v + "/servers/{server_id}/action", nova_actions.server_action)
        router.add("GET", v + "/servers/{server_id}/migrations", nova_migrations.list_server_migrations)
        router.add("GET", v + "/servers/{server_id}/migrations/{migration_id}",
                   nova_migrations.show_server_migration)
        router.add("GET", v + "/servers/{server_id}/os-instance-actions",
                   nova_instance_actions.list_instance_actions)
        router.add("GET", v + "/servers/{server_id}/os-instance-actions/{request_id}",
                   nova_instance_actions.show_instance_action)
        router.add("GET", v + "/os-migrations", nova_migrations.list_migrations)
        router.add("GET", v + "/os-server-groups", nova_groups.list_groups)
        router.add("POST", v + "/os-server-groups", nova_groups.create_group)
        router.add("GET", v + "/os-server-groups/{group_id}", nova_groups.show_group)
        router.add("DELETE", v + "/os-server-groups/{group_id}", nova_groups.delete_group)
        router.add("GET", v + "/flavors", nova_flavors.list_flavors)
        router.add("GET", v + "/flavors/detail", nova_flavors.list_flavors_detail)
        router.add("GET", v + "/flavors/{flavor_id}", nova_flavors.show_flavor)
        router.add("GET", v + "/flavors/{flavor_id}/os-extra_specs", nova_flavors.flavor_extra_specs)

    def _version_doc(self, request):
        return {
            "id": "v2.1", "status": "CURRENT", "updated": "2013-07-23T11:33:21Z",
            "version": microversion.text(microversion.MAX),
            "min_version": microversion.text(microversion.MIN),
            "links": [{"rel": "self", "href": "%s/compute/v2.1/" % request.base_url},
                      {"rel": "describedby", "type": "text/html", "href": "http://docs.openstack.org/"}],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.compute+json;version=2.1"}],
        }

    def versions(self, request):
        return Response(200, {"versions": [self._version_doc(request)]})

    def version(self, request):
        return Response(200, {"version": self._version_doc(request)})

    def before(self, request):
        request.microversion = microversion.parse(request)

    def after(self, request, response):
        if request.microversion is not None:
            response.headers.update(microversion.headers(request.microversion))

    def error_body(self, status, message):
        return {ERROR_NAMES.get(status, "computeFault"): {"code": status, "message": message}}
