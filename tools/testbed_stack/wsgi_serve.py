"""Serve one OpenStack WSGI application on 127.0.0.1:PORT, a thread per request.

    python wsgi_serve.py MODULE:ATTRIBUTE PORT

The applications read their configuration from their own environment
variables (OS_KEYSTONE_CONFIG_DIR, OS_PLACEMENT_CONFIG_DIR, OS_NOVA_CONFIG_DIR,
AODH_CONFIG_FILE); no Apache or uWSGI is needed on a test bed.
"""

import importlib
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadedServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 64


class _Handler(WSGIRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("access %s\n" % (fmt % args))


def main():
    target, port = sys.argv[1], int(sys.argv[2])
    # oslo.config in these applications parses sys.argv as their own command line.
    sys.argv = [target]
    module, _, attribute = target.partition(":")
    app = getattr(importlib.import_module(module), attribute or "application")
    server = make_server("127.0.0.1", port, app, _ThreadedServer, _Handler)
    sys.stderr.write(f"serving {target} on 127.0.0.1:{port}\n")
    sys.stderr.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
