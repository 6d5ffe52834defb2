"""The simulated cloud as one object: build it from an inventory, serve it
over HTTP on loopback, hand out credentials, read its state and events."""

import os

import yaml

from rolling_maintenance.sim import clock as clocks
from rolling_maintenance.sim import inventory as inventories
from rolling_maintenance.sim.model.core import (
    ADMIN_PROJECT,
    DOMAIN_NAME,
    PASSWORD,
    REGION,
)
from rolling_maintenance.wsgi_server import BackgroundServer
from rolling_maintenance.sim.web.app import SimApp

ADMIN_CLOUD = "sim-admin"


class Simulator:
    """A Keystone/Nova/Aodh subset over an in-memory model, on 127.0.0.1."""

    def __init__(self, model, host="127.0.0.1", port=0):
        self.model = model
        self.app = SimApp(model)
        self._host = host
        self._port = port
        self._server = None
        self._serving = False
        self.base_url = None

    @classmethod
    def from_inventory(cls, inventory, clock=None, epoch=None, host="127.0.0.1", port=0):
        """`clock` defaults to real time (ScaledClock(1.0)); `epoch` is the wall
        time that simulated time 0 stands for in API timestamps."""
        model = inventories.build_model(inventory, clock or clocks.ScaledClock(1.0), epoch)
        return cls(model, host=host, port=port)

    @property
    def clock(self):
        return self.model.clock

    # serving -------------------------------------------------------------------

    def bind(self):
        """Open the listening socket (a free port when port is 0); returns the base URL."""
        if self._server is None:
            self._server = BackgroundServer(self.app, self._host, self._port, name="sim-http")
            self.base_url = self.app.base_url = self._server.url
        return self.base_url

    def start(self):
        """Serve in a daemon thread; returns the base URL."""
        self.bind()
        if not self._serving:
            self._server.start()
            self._serving = True
        return self.base_url

    def serve_forever(self):
        """Serve in the calling thread (the CLI) until interrupted."""
        self.bind()
        self._serving = True
        try:
            self._server.serve_forever()
        finally:
            self._serving = False

    def stop(self):
        if self._server is not None:
            self._server.stop()
            self._server = None
            self._serving = False

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # credentials ---------------------------------------------------------------

    @property
    def auth_url(self):
        if self.base_url is None:
            raise RuntimeError("the simulator is not serving yet: call start() first")
        return self.base_url + "/identity/v3"

    def _credentials(self, project_id):
        with self.model.lock:
            project, user = self.model.project_member(project_id)
        return {"auth_url": self.auth_url, "username": user.name, "password": PASSWORD,
                "project_name": project.name, "user_domain_name": DOMAIN_NAME,
                "project_domain_name": DOMAIN_NAME, "region_name": REGION}

    def admin_credentials(self):
        """Keyword arguments for openstack.connect(), as the cloud admin."""
        return self._credentials(ADMIN_PROJECT)

    def project_credentials(self, project_id):
        """Keyword arguments for openstack.connect(), as a member of `project_id`."""
        return self._credentials(project_id)

    def clouds(self):
        """clouds.yaml content: `sim-admin` and `sim-<project id>` per project."""
        clouds = {}
        for project_id in list(self.model.projects):
            creds = self._credentials(project_id)
            name = ADMIN_CLOUD if project_id == ADMIN_PROJECT else "sim-%s" % project_id
            clouds[name] = {
                "auth": {k: creds[k] for k in ("auth_url", "username", "password", "project_name",
                                                "user_domain_name", "project_domain_name")},
                "region_name": creds["region_name"], "identity_api_version": 3,
                "interface": "public",
            }
        return {"clouds": clouds}

    def clouds_yaml(self, path):
        """Write clouds.yaml to `path` (mode 0600: it holds passwords); returns `path`."""
        text = yaml.safe_dump(self.clouds(), default_flow_style=False, sort_keys=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(text)
        return path

    # faults --------------------------------------------------------------------

    def inject_fault(self, spec):
        """Arm a fault, as POST /_sim/faults: {"type": "migration_error", "host", "count"},
        {"type": "host_no_return", "host"}, {"type": "host_work_error", "host", "label", "count"},
        {"type": "api_unavailable", "seconds"[, "service": compute, placement, alarming or
        identity: that API alone]}, {"type": "api_error", "path", "status", "count"}."""
        with self.model.lock:
            self.model.advance()
            return self.model.inject_fault(spec)

    def clear_faults(self, host=None):
        """Disarm faults (of `host`, or all) and bring lost hosts back up."""
        with self.model.lock:
            self.model.advance()
            return self.model.clear_faults(host)

    # observing -----------------------------------------------------------------

    def events(self, since=0):
        """The event log after sequence number `since` (as GET /_sim/events)."""
        with self.model.lock:
            self.model.advance()
            return self.model.log.since(since)

    def state(self):
        """The whole model as plain data (as GET /_sim/state)."""
        with self.model.lock:
            self.model.advance()
            return self.model.snapshot()
