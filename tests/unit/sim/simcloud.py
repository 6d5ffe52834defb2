"""A small simulated cloud on a manual clock, and the clients a test reaches for."""

import datetime

import openstack
import requests
from aodhclient import client as aodh_client

from rolling_maintenance.sim import ManualClock, Simulator
from rolling_maintenance.sim.inventory import stable_id

EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


def small_inventory():
    """Three 4-vcpu/8 GiB hosts; project p1 has an anti-affinity pair and a
    loose instance, project p2 one instance."""
    return {
        "hosts": [{"name": "compute-%d" % i, "vcpus": 4, "ram_mb": 8192} for i in range(3)],
        "projects": [{"id": "p1", "name": "demo1"}, {"id": "p2", "name": "demo2"}],
        "groups": [{"group_id": "g1", "project_id": "p1", "name": "pair",
                    "policy": "anti-affinity", "max_impacted_members": 1}],
        "instances": [
            {"id": "vm1", "project_id": "p1", "host": "compute-0", "vcpus": 1, "ram_mb": 1024,
             "group_id": "g1"},
            {"id": "vm2", "project_id": "p1", "host": "compute-1", "vcpus": 1, "ram_mb": 2048,
             "group_id": "g1"},
            {"id": "vm3", "project_id": "p1", "host": "compute-0", "vcpus": 2, "ram_mb": 4096},
            {"id": "vm4", "project_id": "p2", "host": "compute-2", "vcpus": 1, "ram_mb": 1024},
        ],
        "timing": {"live_migration_s_per_gib": 4, "cold_migration_s_per_gib": 8,
                   "migration_min_s": 2, "boot_s": 3, "host_maintenance_s": 30},
    }


def sid(name):
    """The server id the simulator gives inventory instance `name`."""
    return stable_id("server", name)


class Cloud:
    """The simulator plus the things a test reaches for."""

    def __init__(self, sim):
        self.sim = sim
        self.clock = sim.clock
        self.url = sim.base_url
        self._admin = None

    @property
    def admin(self):
        if self._admin is None:
            self._admin = openstack.connect(**self.sim.admin_credentials())
        return self._admin

    def member(self, project_id):
        return openstack.connect(**self.sim.project_credentials(project_id))

    def aodh(self, conn):
        return aodh_client.Client("2", session=conn.session)

    def advance(self, seconds):
        self.clock.advance(seconds)

    def token(self, conn=None):
        return (conn or self.admin).session.get_token()

    def http(self, method, path, token=None, json=None, data=None, headers=None):
        """A raw request, for status codes and error bodies the clients hide."""
        sent = dict(headers or {})
        if token:
            sent["X-Auth-Token"] = token
        return requests.request(method, self.url + path, json=json, data=data, headers=sent,
                                timeout=10)

    def server(self, name):
        """The model's record of inventory instance `name`, brought up to date."""
        self.sim.model.advance()
        return self.sim.model.servers[sid(name)]

    def usage(self):
        """{host: [vcpus, ram_mb, servers]} as of the clock's now."""
        self.sim.model.advance()
        return self.sim.model.usage()


def make_cloud(inventory=None):
    sim = Simulator.from_inventory(inventory or small_inventory(), clock=ManualClock(), epoch=EPOCH)
    sim.start()
    return Cloud(sim)
