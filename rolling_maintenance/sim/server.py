"""Serve a WSGI app on 127.0.0.1 from a daemon thread (standard library only)."""

import socketserver
import threading
from wsgiref import simple_server


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):
        """Requests are not logged: tests and demos read the event log instead."""


class _ThreadingServer(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def server_bind(self):
        # HTTPServer.server_bind resolves the bound address with getfqdn(),
        # a DNS lookup that can hang on a host without network.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port
        self.setup_environ()


class BackgroundServer:
    """An HTTP server for `app` on `host`:`port` (0 = any free port)."""

    def __init__(self, app, host="127.0.0.1", port=0):
        self.httpd = _ThreadingServer((host, port), _QuietHandler)
        self.httpd.set_app(app)
        self.host, self.port = self.httpd.server_address[:2]
        self._thread = None

    @property
    def url(self):
        return "http://%s:%d" % (self.host, self.port)

    def start(self):
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="sim-http-%d" % self.port, daemon=True)
        self._thread.start()
        return self.url

    def serve_forever(self):
        """Serve in the calling thread until `stop` is called from elsewhere."""
        self.httpd.serve_forever(poll_interval=0.2)

    def stop(self):
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.httpd.server_close()
