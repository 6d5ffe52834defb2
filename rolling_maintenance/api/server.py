"""Run the reply API (and the constraints API beside it) in-process on a threaded WSGI server.

Used by the embedded stack, the tests and the `rolling-maintenance-api` command.
"""

import logging
import socketserver
import threading
import time
import wsgiref.simple_server

from rolling_maintenance.api import asks
from rolling_maintenance.api import constraints_service
from rolling_maintenance.api import constraints_store as constraints_store_module
from rolling_maintenance.api import reply_service
from rolling_maintenance.api import wsgi

LOG = logging.getLogger(__name__)


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, wsgiref.simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(wsgiref.simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):
        LOG.debug("%s - %s", self.address_string(), format % args)


def build_mistral_client(mistral_url=None, cloud=None):
    """A python-mistralclient v2 client: no auth at `mistral_url`, or as the clouds.yaml
    entry `cloud` (a service identity with the admin role), where the URL may come
    from the catalog."""
    from mistralclient.api import client

    if cloud:
        import openstack
        session = openstack.connect(cloud=cloud).session
        return client.client(mistral_url=mistral_url, session=session)
    if not mistral_url:
        raise ValueError("the reply API needs a Mistral URL (like http://127.0.0.1:8989/v2) "
                         "or a cloud to find it in")
    return client.client(mistral_url=mistral_url)


class ReplyAPI:
    """The reply API on `host:port` (0 = a free port).

    `mistral_client` replaces the client built from `mistral_url`/`cloud`
    (tests); `clock()` returns epoch seconds; `auth` is `none` or `keystone`.
    The constraints are kept in Mistral environments through the same client,
    unless `constraints_store` (a `constraints_store.ConstraintsStore`) is given.
    """

    def __init__(self, mistral_url=None, host="127.0.0.1", port=0, auth="none",
                 mistral_client=None, cloud=None, clock=time.time, constraints_store=None):
        client = mistral_client or build_mistral_client(mistral_url, cloud)
        self.service = reply_service.ReplyService(asks.MistralAsks(client), clock=clock)
        store = constraints_store or constraints_store_module.MistralConstraintsStore(client)
        self.constraints = constraints_service.ConstraintsService(store, auth_mode=auth)
        self.app = wsgi.ReplyApp(self.service, auth_mode=auth, constraints=self.constraints)
        self.host = host
        self.port = port
        self.url = None
        self._server = None
        self._thread = None

    def start(self):
        """Listen and serve in a background thread; return the base URL."""
        self._server = wsgiref.simple_server.make_server(
            self.host, self.port, self.app, server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler)
        self.port = self._server.server_port
        self.url = "http://%s:%d" % (self.host, self.port)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.1,),
                                        name="reply-api", daemon=True)
        self._thread.start()
        return self.url

    def stop(self):
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
        self._server = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
