"""`plan --cloud` and `inventory --cloud` against the simulated cloud on loopback."""

import json
import os
import warnings

import pytest

from rolling_maintenance import cli, cloud
from rolling_maintenance.sim import ManualClock, Simulator

INVENTORY = {
    "hosts": [{"name": "compute-%d" % i, "vcpus": 8, "ram_mb": 16384} for i in range(4)],
    "instances": [{"id": "vm-%d" % i, "project_id": "project-a", "host": "compute-%d" % (i % 3),
                   "vcpus": 2, "ram_mb": 4096} for i in range(6)],
    "groups": [],
}


@pytest.fixture
def sim_cloud(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith("OS_"):
            monkeypatch.delenv(name)
    simulator = Simulator.from_inventory(INVENTORY, clock=ManualClock())
    simulator.start()
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", simulator.clouds_yaml(str(tmp_path / "clouds.yaml")))
    cloud.clear_cache()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield simulator
    cloud.clear_cache()
    simulator.stop()


def test_inventory_and_plan_read_the_live_cloud(sim_cloud, tmp_path, capsys):
    target = tmp_path / "inventory.json"
    assert cli.main(["inventory", "--cloud", "sim-admin", "-o", str(target)]) == 0
    written = json.loads(target.read_text())
    assert sorted(i["name"] for i in written["instances"]) == sorted(i["id"] for i in INVENTORY["instances"])
    capsys.readouterr()
    assert cli.main(["plan", "--cloud", "sim-admin", "--json"]) == 0
    live = json.loads(capsys.readouterr().out)
    assert cli.main(["plan", "--inventory", str(target), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == live
    assert sorted(h for one in live["rounds"] for h in one["hosts"]) == [h["name"] for h in INVENTORY["hosts"]]


OVERCOMMITTED = {
    # Nova's defaults: 4 vcpus per core of CPU overcommit, 512 MB reserved per host.
    "hosts": [{"name": "compute-%d" % i, "vcpus": 4, "ram_mb": 8192, "cpu_allocation_ratio": 4.0,
               "reserved_host_memory_mb": 512} for i in range(4)],
    "instances": [{"id": "vm-%d" % i, "project_id": "project-a", "host": "compute-%d" % (i % 3),
                   "vcpus": 1, "ram_mb": 512} for i in range(18)],
    "groups": [],
}


def test_the_dry_run_counts_capacity_as_placement_does(tmp_path, monkeypatch, capsys):
    """Six vcpus on hosts of four: room to spare for Nova with its CPU allocation ratio
    of 4.0, none when the raw vcpus are counted (the planner then asks for SCALE_IN)."""
    for name in list(os.environ):
        if name.startswith("OS_"):
            monkeypatch.delenv(name)
    with Simulator.from_inventory(OVERCOMMITTED, clock=ManualClock()) as simulator:
        monkeypatch.setenv("OS_CLIENT_CONFIG_FILE",
                           simulator.clouds_yaml(str(tmp_path / "clouds.yaml")))
        cloud.clear_cache()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            target = tmp_path / "inventory.json"
            assert cli.main(["inventory", "--cloud", "sim-admin", "-o", str(target)]) == 0
            capsys.readouterr()
            assert cli.main(["plan", "--cloud", "sim-admin", "--json"]) == 0
        cloud.clear_cache()
    live = json.loads(capsys.readouterr().out)
    assert sorted(h for one in live["rounds"] for h in one["hosts"]) == [
        h["name"] for h in OVERCOMMITTED["hosts"]]
    written = json.loads(target.read_text())
    assert {(h["cpu_allocation_ratio"], h["ram_allocation_ratio"], h["reserved_vcpus"],
             h["reserved_host_memory_mb"]) for h in written["hosts"]} == {(4.0, 1.0, 0, 512)}
    for host in written["hosts"]:
        del host["cpu_allocation_ratio"]
    raw = tmp_path / "raw.json"
    raw.write_text(json.dumps(written))
    assert cli.main(["plan", "--inventory", str(raw), "--json"]) != 0
