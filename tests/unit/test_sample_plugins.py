"""The sample host plug-in does its work on the simulator, and says plainly
that a real cloud is not one."""

import types
import warnings

import openstack
import pytest

from rolling_maintenance.audit.events import HOST_WORK_FINISHED, HOST_WORK_STARTED
from rolling_maintenance.cloud.errors import CloudError
from rolling_maintenance.samples.actions import SimulatedHostWorkAction
from rolling_maintenance.sim import ScaledClock, Simulator

HOST_WORK = (HOST_WORK_STARTED, HOST_WORK_FINISHED)
INVENTORY = {"hosts": [{"name": "compute-0", "vcpus": 4, "ram_mb": 8192}],
             "projects": [{"id": "p1", "name": "demo"}], "instances": []}


@pytest.fixture
def sim():
    simulator = Simulator.from_inventory(INVENTORY, clock=ScaledClock(speed=500.0))
    simulator.start()
    yield simulator
    simulator.stop()


def admin(sim):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openstack.connect(**sim.admin_credentials())


def test_the_work_runs_on_the_host_and_shows_in_the_event_log(sim):
    action = SimulatedHostWorkAction("compute-0", "s1", {"label": "firmware", "duration_s": 5})
    result = action.run_with(admin(sim), None)
    assert result["host"] == "compute-0" and result["label"] == "firmware"
    work = [(e["type"], e["label"]) for e in sim.events() if e["type"] in HOST_WORK]
    assert work == [(HOST_WORK_STARTED, "firmware"), (HOST_WORK_FINISHED, "firmware")]


def test_bad_work_is_refused_by_the_simulator(sim):
    action = SimulatedHostWorkAction("compute-0", metadata={"duration_s": -1})
    with pytest.raises(CloudError) as caught:
        action.run_with(admin(sim), None)
    assert caught.value.code == "host_work_failed"
    assert [e for e in sim.events() if e["type"] in HOST_WORK] == []


def test_a_real_cloud_is_not_the_simulator():
    conn = types.SimpleNamespace(config=types.SimpleNamespace(
        auth={"auth_url": "https://keystone.example.org/v3"}))
    with pytest.raises(CloudError) as caught:
        SimulatedHostWorkAction("compute-0").run_with(conn, None)
    assert caught.value.code == "not_simulated"
    assert "keystone.example.org" in caught.value.message
