"""Run the reply API (and the constraints and admin APIs beside it) in-process on the project's WSGI server.

Used by the embedded stack, the tests and the `rolling-maintenance-api` command.
"""

import time

from rolling_maintenance import wsgi_server
from rolling_maintenance.api import admin_service
from rolling_maintenance.api import constraints_service
from rolling_maintenance.api import constraints_store as constraints_store_module
from rolling_maintenance.api import keystone_auth
from rolling_maintenance.api import reply_service
from rolling_maintenance.api import wsgi
from rolling_maintenance.mistral import asks
from rolling_maintenance.mistral import client as mistral_client_factory


class ReplyAPI:
    """The reply API on `host:port` (0 = a free port).

    It talks to Mistral at `mistral_url` without auth, or as the clouds.yaml
    entry `cloud` (a service identity with the admin role);
    `mistral_client` replaces that client (tests). `clock()` returns epoch
    seconds; `auth` is `none` or `keystone`. The constraints are kept in
    Mistral environments through the same client, unless `constraints_store`
    (a `constraints_store.ConstraintsStore`) is given. `limits` (a
    `wsgi_server.Limits`, its defaults when None) bounds what clients may
    take: read timeout and requests served at once. With `auth` `keystone`
    the app runs behind keystonemiddleware's `auth_token`, configured from
    `keystone_conf` (a `keystone_auth.load_config` result), which is required.
    """

    def __init__(self, mistral_url=None, host="127.0.0.1", port=0, auth="none",
                 mistral_client=None, cloud=None, clock=time.time, constraints_store=None,
                 limits=None, keystone_conf=None):
        if auth == "keystone" and keystone_conf is None:
            raise keystone_auth.ConfigError(
                "auth keystone needs a [%s] configuration" % keystone_auth.GROUP)
        client = mistral_client or mistral_client_factory.for_service(mistral_url, cloud)
        self.service = reply_service.ReplyService(asks.MistralAsks(client), clock=clock)
        store = constraints_store or constraints_store_module.MistralConstraintsStore(client)
        self.constraints = constraints_service.ConstraintsService(store, auth_mode=auth)
        self.limits = limits or wsgi_server.Limits()
        self.admin = admin_service.AdminService(client, auth_mode=auth)
        self.app = wsgi.ReplyApp(self.service, auth_mode=auth, constraints=self.constraints,
                                 limits=self.limits, admin=self.admin)
        if auth == "keystone":
            self.app = keystone_auth.protect(self.app, keystone_conf)
        self.host = host
        self.port = port
        self.url = None
        self._server = None

    def start(self):
        """Listen and serve in a background thread; return the base URL."""
        self._server = wsgi_server.BackgroundServer(self.app, self.host, self.port,
                                                    name="reply-api", limits=self.limits)
        self.port = self._server.port
        self.url = self._server.start()
        return self.url

    def stop(self):
        if self._server is None:
            return
        self._server.stop()
        self._server = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
