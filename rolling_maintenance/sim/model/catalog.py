"""The service catalog's registered entries: what `openstack service create`
and `openstack endpoint create` add on a real cloud (e.g. the maintenance API,
service type `maintenance`). The simulator's own services (identity, compute,
alarming) are listed beside them by the Keystone front, which knows its URL.
"""

import uuid

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.model.core import REGION

INTERFACES = ("public", "internal", "admin")


def _text(spec, name, required=True):
    value = spec.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise errors.BadRequest("%s must be a non-empty string, got %r" % (name, value))
    return value


class CatalogOps:

    def add_catalog_service(self, spec):
        """A new service `{"id","type","name","description","enabled"}` from `spec`."""
        if not isinstance(spec, dict):
            raise errors.BadRequest("service must be an object")
        service = {"id": uuid.uuid4().hex, "type": _text(spec, "type"),
                   "name": _text(spec, "name", required=False) or "",
                   "description": _text(spec, "description", required=False) or "",
                   "enabled": spec.get("enabled", True) is not False}
        with self.lock:
            self.catalog_services[service["id"]] = service
        return dict(service)

    def add_catalog_endpoint(self, spec):
        """A new endpoint of a registered service from `spec` (`service_id`, `interface`, `url`)."""
        if not isinstance(spec, dict):
            raise errors.BadRequest("endpoint must be an object")
        interface = _text(spec, "interface")
        if interface not in INTERFACES:
            raise errors.BadRequest("interface must be one of %s, got %r"
                                    % (", ".join(INTERFACES), interface))
        url = _text(spec, "url")
        if not url.startswith(("http://", "https://")):
            raise errors.BadRequest("url must be an http(s) URL, got %r" % url)
        region = spec.get("region_id") or spec.get("region") or REGION
        with self.lock:
            service_id = _text(spec, "service_id")
            if service_id not in self.catalog_services:
                raise errors.BadRequest("Could not find service: %s." % service_id)
            endpoint = {"id": uuid.uuid4().hex, "service_id": service_id, "interface": interface,
                        "url": url, "region": region, "region_id": region,
                        "enabled": spec.get("enabled", True) is not False}
            self.catalog_endpoints[endpoint["id"]] = endpoint
        return dict(endpoint)

    def update_catalog_endpoint(self, endpoint_id, spec):
        """A registered endpoint with a new `url` (what `openstack endpoint set --url` does)."""
        if not isinstance(spec, dict) or set(spec) - {"url"}:
            raise errors.BadRequest("only url may change, got %r" % (spec,))
        url = _text(spec, "url")
        if not url.startswith(("http://", "https://")):
            raise errors.BadRequest("url must be an http(s) URL, got %r" % url)
        with self.lock:
            endpoint = self.catalog_endpoints.get(endpoint_id)
            if endpoint is None:
                raise errors.NotFound("Could not find endpoint: %s." % endpoint_id)
            endpoint["url"] = url
            return dict(endpoint)

    def registered_catalog(self):
        """`(services, endpoints)`: copies of the registered entries, oldest first."""
        with self.lock:
            return ([dict(s) for s in self.catalog_services.values()],
                    [dict(e) for e in self.catalog_endpoints.values()])
