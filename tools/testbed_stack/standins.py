"""Glance v2 and Neutron v2.0 stand-ins: what Nova asks of them for the test bed's servers.

Nova reads the image on every boot and asks Neutron about ports on boot and
on every move; the fake virt driver needs neither's data. So:

- Glance serves one public raw image (IMAGE_ID) and the image schema. Every
  field of the image is declared in the schema: Nova treats undeclared fields
  as image properties, and its API then fails with KeyError 'status'.
- Neutron serves one shared network (NETWORK_ID, "testbed-net") with one
  subnet, keeps the ports Nova creates, updates and deletes on it (in
  memory), a `default` security group per project, no extensions and an
  unlimited quota; every other collection is empty. Servers boot with
  `networks: [{"uuid": NETWORK_ID}]`, or `"auto"` (the one network a project
  sees), or `"none"`. Auto-allocation is not offered (409, as a Neutron
  without a default external network answers).

    python standins.py GLANCE_PORT NEUTRON_PORT
"""

import json
import re
import sys
import threading
import urllib.parse
import uuid
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

IMAGE_ID = "00000000-0000-4000-8000-00000000cafe"
IMAGE = {
    "id": IMAGE_ID, "name": "testbed-image", "status": "active", "visibility": "public",
    "protected": False, "disk_format": "raw", "container_format": "bare", "size": 1024,
    "virtual_size": 1024, "min_disk": 0, "min_ram": 0, "checksum": None,
    "os_hash_algo": None, "os_hash_value": None, "owner": None, "tags": [],
    "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
    "self": f"/v2/images/{IMAGE_ID}", "file": f"/v2/images/{IMAGE_ID}/file",
    "schema": "/v2/schemas/image",
}
NETWORK_ID = "00000000-0000-4000-8000-0000000000ae"
SUBNET_ID = "00000000-0000-4000-8000-0000000000af"
NETWORK = {
    "id": NETWORK_ID, "name": "testbed-net", "status": "ACTIVE", "admin_state_up": True,
    "shared": True, "router:external": False, "subnets": [SUBNET_ID], "mtu": 1450,
    "port_security_enabled": True, "tenant_id": "", "project_id": "", "tags": [],
}
SUBNET = {
    "id": SUBNET_ID, "name": "testbed-subnet", "network_id": NETWORK_ID, "ip_version": 4,
    "cidr": "10.20.0.0/16", "gateway_ip": "10.20.0.1", "enable_dhcp": True,
    "dns_nameservers": [], "host_routes": [], "ipv6_ra_mode": None, "ipv6_address_mode": None,
    "allocation_pools": [{"start": "10.20.0.2", "end": "10.20.255.254"}],
    "tenant_id": "", "project_id": "", "tags": [],
}
IMAGE_SCHEMA = {"name": "image", "properties": {field: {} for field in IMAGE},
                "additionalProperties": {"type": "string"}, "links": []}


class _ThreadedServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Handler(WSGIRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.server.server_port, fmt % args))


def _json(start, status, body):
    data = b"" if body is None else json.dumps(body).encode()
    start(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def glance(environ, start):
    path, method = environ["PATH_INFO"].rstrip("/"), environ["REQUEST_METHOD"]
    if path in ("", "/versions"):
        href = f"http://{environ.get('HTTP_HOST', '127.0.0.1')}/v2/"
        return _json(start, "300 Multiple Choices", {"versions": [
            {"id": "v2.16", "status": "CURRENT", "links": [{"rel": "self", "href": href}]}]})
    if method == "GET" and path == "/v2/schemas/image":
        return _json(start, "200 OK", IMAGE_SCHEMA)
    if method == "GET" and path == "/v2/images":
        return _json(start, "200 OK", {"images": [IMAGE], "schema": "/v2/schemas/images",
                                       "first": "/v2/images"})
    if method == "GET" and path == f"/v2/images/{IMAGE_ID}":
        return _json(start, "200 OK", IMAGE)
    return _json(start, "404 Not Found", {"message": f"no {method} {path} here"})


class NeutronState:
    """The network, its subnet and the ports on it, as Neutron would keep them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ports = {}
        self.addresses = 0

    def collection(self, name, project):
        if name == "networks":
            return [NETWORK]
        if name == "subnets":
            return [SUBNET]
        if name == "ports":
            return list(self.ports.values())
        if name == "security_groups":
            return [_default_group(project)] if project else []
        return []

    def create_port(self, spec):
        with self.lock:
            self.addresses += 1
            n = self.addresses
            port = {"id": str(uuid.uuid4()), "name": "", "network_id": NETWORK_ID,
                    "admin_state_up": True, "status": "ACTIVE", "device_id": "",
                    "device_owner": "", "security_groups": [], "tags": [],
                    "mac_address": "fa:16:3e:%02x:%02x:%02x" % (n >> 16 & 255, n >> 8 & 255, n & 255),
                    "fixed_ips": [{"subnet_id": SUBNET_ID,
                                   "ip_address": "10.20.%d.%d" % (n // 250, n % 250 + 2)}],
                    "binding:host_id": "", "binding:vif_type": "ovs", "binding:vnic_type": "normal",
                    "binding:vif_details": {"port_filter": True}, "binding:profile": {},
                    "port_security_enabled": True, "allowed_address_pairs": [],
                    "extra_dhcp_opts": [], "tenant_id": "", "project_id": ""}
            port.update(spec)
            port["project_id"] = port["tenant_id"] = spec.get("project_id", spec.get("tenant_id", ""))
            self.ports[port["id"]] = port
            return port

    def update_port(self, port_id, spec):
        with self.lock:
            port = self.ports.get(port_id)
            if port is not None:
                port.update(spec)
            return port


def _default_group(project):
    group_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "testbed-default-sg-" + project))
    return {"id": group_id, "name": "default", "tenant_id": project, "project_id": project,
            "security_group_rules": [], "description": "", "stateful": True}


def _matches(item, filters):
    """Neutron's list filters: each named field equals one of the values given."""
    for field, wanted in filters.items():
        if field in ("fields", "limit", "marker", "sort_key", "sort_dir") or field not in item:
            continue
        value = item[field]
        if isinstance(value, list) or isinstance(value, dict):
            continue
        if str(value).lower() not in {w.lower() for w in wanted}:
            return False
    return True


def _neutron_error(start, status, kind, message):
    return _json(start, status, {"NeutronError": {"type": kind, "message": message, "detail": ""}})


def _body(environ):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return json.loads(environ["wsgi.input"].read(length) or b"{}") if length else {}


NEUTRON = NeutronState()


def neutron(environ, start):
    path = re.sub(r"\.json$", "", environ["PATH_INFO"].rstrip("/"))
    method = environ["REQUEST_METHOD"]
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    if path == "":
        href = f"http://{environ.get('HTTP_HOST', '127.0.0.1')}/v2.0/"
        return _json(start, "200 OK", {"versions": [
            {"id": "v2.0", "status": "CURRENT", "links": [{"rel": "self", "href": href}]}]})
    if method == "GET" and path == "/v2.0/extensions":
        return _json(start, "200 OK", {"extensions": []})
    if method == "GET" and re.fullmatch(r"/v2.0/quotas/[^/]+", path):
        return _json(start, "200 OK", {"quota": {"port": -1, "network": -1}})
    if re.fullmatch(r"/v2.0/auto-allocated-topology/[^/]+", path):
        return _neutron_error(start, "409 Conflict", "DeploymentError",
                              "Deployment error: No default router:external network.")
    if method == "POST" and path == "/v2.0/ports":
        return _json(start, "201 Created", {"port": NEUTRON.create_port(_body(environ)["port"])})
    item = re.fullmatch(r"/v2.0/([a-z_-]+)/([^/]+)", path)
    if item:
        name, item_id = item.group(1).replace("-", "_"), item.group(2)
        singular = name[:-1]
        if method == "PUT" and name == "ports":
            port = NEUTRON.update_port(item_id, _body(environ)["port"])
            if port is not None:
                return _json(start, "200 OK", {"port": port})
        elif method == "DELETE":
            if name == "ports":
                NEUTRON.ports.pop(item_id, None)
            return _json(start, "204 No Content", None)
        elif method == "GET":
            project = (query.get("tenant_id") or query.get("project_id") or [""])[0]
            for found in NEUTRON.collection(name, project):
                if found["id"] == item_id:
                    return _json(start, "200 OK", {singular: found})
        return _neutron_error(start, "404 Not Found", f"{singular.capitalize()}NotFound",
                              f"{singular} {item_id} could not be found.")
    collection = re.fullmatch(r"/v2.0/([a-z_-]+)", path)
    if method == "GET" and collection:
        name = collection.group(1).replace("-", "_")
        project = (query.get("tenant_id") or query.get("project_id") or [""])[0]
        return _json(start, "200 OK", {name: [found for found in NEUTRON.collection(name, project)
                                              if _matches(found, query)]})
    return _neutron_error(start, "404 Not Found", "NotFound", f"no {method} {path} here")


def main():
    glance_port, neutron_port = int(sys.argv[1]), int(sys.argv[2])
    servers = [make_server("127.0.0.1", port, app, _ThreadedServer, _Handler)
               for port, app in ((glance_port, glance), (neutron_port, neutron))]
    threading.Thread(target=servers[1].serve_forever, daemon=True).start()
    sys.stderr.write(f"glance on {glance_port}, neutron on {neutron_port}\n")
    sys.stderr.flush()
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
