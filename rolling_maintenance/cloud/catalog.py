"""The maintenance API in Keystone's service catalog, service type `maintenance`.

Clients written for Fenix find the API there: Tacker with
`session.get_endpoint(service_type='maintenance')`, Doctor's VNFM through
keystoneclient's `services.list()` and `endpoints.list()`. This is what
`openstack service create --name fenix maintenance` and `openstack endpoint
create maintenance <interface> <url>` do, for a simulated or test cloud.
"""

from rolling_maintenance.cloud.errors import translated

SERVICE_TYPE = "maintenance"
# Fenix's clients append `/instance/<id>` and `/instance_group/<id>` to the
# catalog URL (Doctor's VNFM, Tacker): the endpoint carries the version.
VERSION_PATH = "/v1"
SERVICE_NAME = "fenix"
INTERFACES = ("public", "internal", "admin")


def versioned(api_url):
    """The catalog URL of the API served at `api_url`: with its version, as Fenix lists it."""
    base = api_url.rstrip("/")
    return base if base.endswith(VERSION_PATH) else base + VERSION_PATH


def register_maintenance_api(conn, url, region=None):
    """List the API at `url` under service type `maintenance` (every interface):
    create what is missing, move what points elsewhere (the API moved);
    returns `{"service_id", "endpoints": {interface: url}}`."""
    region = region or conn.config.get_region_name("identity") or "RegionOne"
    with translated(service_type=SERVICE_TYPE):
        service = next(iter(conn.identity.services(type=SERVICE_TYPE)), None)
        if service is None:
            service = conn.identity.create_service(
                type=SERVICE_TYPE, name=SERVICE_NAME, is_enabled=True,
                description="Rolling maintenance (Fenix-compatible API)")
        present = {e.interface: e for e in conn.identity.endpoints(service_id=service.id)}
        for interface in INTERFACES:
            endpoint = present.get(interface)
            if endpoint is None:
                conn.identity.create_endpoint(service_id=service.id, interface=interface,
                                              url=url, region_id=region, is_enabled=True)
            elif endpoint.url != url:
                conn.identity.update_endpoint(endpoint, url=url)
    return {"service_id": service.id, "endpoints": {interface: url for interface in INTERFACES}}
