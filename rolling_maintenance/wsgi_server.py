"""One small threaded WSGI server (standard library) for every HTTP endpoint the project serves.

The reply API, the sample VNFM's webhook, the simulated cloud and the tests'
fakes all serve a WSGI app on a loopback port from a daemon thread. Requests
are logged at debug level only: the services log what they do themselves.
"""

import logging
import socketserver
import threading
from wsgiref import simple_server

LOG = logging.getLogger(__name__)


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):
        LOG.debug("%s - %s", self.address_string(), format % args)


class _ThreadingServer(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def server_bind(self):
        # HTTPServer.server_bind resolves the bound address with getfqdn(),
        # a reverse-DNS lookup that can hang on a host without network.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port
        self.setup_environ()


class BackgroundServer:
    """`app` served on `host`:`port` (0 = any free port); the socket is bound at once.

    `start()` serves from a daemon thread named `name`; `serve_forever()` in
    the calling thread until `stop()` is called from elsewhere.
    """

    def __init__(self, app, host="127.0.0.1", port=0, name="http"):
        self.httpd = _ThreadingServer((host, port), _QuietHandler)
        self.httpd.set_app(app)
        self.host, self.port = self.httpd.server_address[:2]
        self.name = name
        self._thread = None

    @property
    def url(self):
        return "http://%s:%d" % (self.host, self.port)

    def start(self):
        """Serve in a daemon thread; returns the base URL."""
        self._thread = threading.Thread(target=self.httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="%s-%d" % (self.name, self.port), daemon=True)
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

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
