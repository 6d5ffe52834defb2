"""What the VNFM tests share: the simulated cloud's inventory and small helpers."""

import time
import warnings

import openstack

from rolling_maintenance.sim.inventory import stable_id


PROJECT = "p1"
OTHER_PROJECT = "p2"
EMPTY_PROJECT = "p3"
SPEED = 200.0

INVENTORY = {
    "hosts": [{"name": "compute-%d" % i, "vcpus": 4, "ram_mb": 8192} for i in range(3)],
    "projects": [{"id": PROJECT, "name": "demo1"}, {"id": OTHER_PROJECT, "name": "demo2"},
                 {"id": EMPTY_PROJECT, "name": "demo3"}],
    "groups": [{"group_id": "pair", "project_id": PROJECT, "name": "demo1-pair",
                "policy": "anti-affinity"}],
    "instances": [
        {"id": "vm-a", "project_id": PROJECT, "host": "compute-0", "vcpus": 1, "ram_mb": 1024,
         "group_id": "pair"},
        {"id": "vm-b", "project_id": PROJECT, "host": "compute-1", "vcpus": 1, "ram_mb": 1024,
         "group_id": "pair"},
        {"id": "vm-x", "project_id": PROJECT, "host": "compute-2", "vcpus": 1, "ram_mb": 1024},
        {"id": "vm-y", "project_id": PROJECT, "host": "compute-2", "vcpus": 1, "ram_mb": 1024},
        {"id": "vm-o", "project_id": OTHER_PROJECT, "host": "compute-0", "vcpus": 1, "ram_mb": 1024},
    ],
}
VM = {name: stable_id("server", name) for name in ("vm-a", "vm-b", "vm-x", "vm-y", "vm-o")}


def connect(sim, project_id):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openstack.connect(**sim.project_credentials(project_id))


def wait_for(condition, timeout=10.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for %s" % what)
        time.sleep(0.01)


def live_servers(sim, project_id):
    return {s["id"]: s for s in sim.state()["servers"]
            if s["project"] == project_id and s.get("status") != "DELETED"}
