"""Glance v2 and Neutron v2.0 stand-ins: what Nova asks of them for the test bed's servers.

Nova reads the image on every boot and asks Neutron about ports on boot and
on every move; the fake virt driver needs neither's data. So:

- Glance serves one public raw image (IMAGE_ID) and the image schema. Every
  field of the image is declared in the schema: Nova treats undeclared fields
  as image properties, and its API then fails with KeyError 'status'.
- Neutron answers every collection with an empty list, no extensions and an
  unlimited quota. Servers boot with `networks: "none"` (microversion 2.37+).

    python standins.py GLANCE_PORT NEUTRON_PORT
"""

import json
import re
import sys
import threading
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


def neutron(environ, start):
    path = re.sub(r"\.json$", "", environ["PATH_INFO"].rstrip("/"))
    method = environ["REQUEST_METHOD"]
    if path == "":
        href = f"http://{environ.get('HTTP_HOST', '127.0.0.1')}/v2.0/"
        return _json(start, "200 OK", {"versions": [
            {"id": "v2.0", "status": "CURRENT", "links": [{"rel": "self", "href": href}]}]})
    if method == "GET" and path == "/v2.0/extensions":
        return _json(start, "200 OK", {"extensions": []})
    if method == "GET" and re.fullmatch(r"/v2.0/quotas/[^/]+", path):
        return _json(start, "200 OK", {"quota": {"port": -1, "network": -1}})
    collection = re.fullmatch(r"/v2.0/([a-z_-]+)", path)
    if method == "GET" and collection:
        return _json(start, "200 OK", {collection.group(1).replace("-", "_"): []})
    if method == "DELETE":
        return _json(start, "204 No Content", None)
    return _json(start, "404 Not Found", {"NeutronError": {
        "type": "NotFound", "message": f"no {method} {path} here", "detail": ""}})


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
