"""Fixtures for the contract tests: a simulated cloud, a connection, a request recorder."""

import os

import openstack
import pytest

from contract_support import (INVENTORY, NOVA_DEFAULTS, PROJECT_A, VM_ACT, VM_STDBY, VM_WEB,
                              Recorder, StepClock)
from nova_contract import Cloud, NovaRecords
from rolling_maintenance import cloud
from rolling_maintenance.sim import ManualClock, Simulator


@pytest.fixture
def recorder(monkeypatch):
    return Recorder().install(monkeypatch)


@pytest.fixture(autouse=True)
def isolated_os_env(monkeypatch, tmp_path):
    """No OS_* variable or clouds.yaml of the machine leaks into a test."""
    for name in list(os.environ):
        if name.startswith("OS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(tmp_path / "no-clouds.yaml"))
    cloud.clear_cache()
    yield
    cloud.clear_cache()


@pytest.fixture
def manual_clock():
    return ManualClock()


@pytest.fixture
def step_clock(manual_clock):
    return StepClock(manual_clock)


@pytest.fixture
def started_sim(manual_clock):
    """(simulator, base URL): a fresh simulated cloud per test, on simulated time."""
    simulator = Simulator.from_inventory(INVENTORY, clock=manual_clock)
    base = simulator.start()
    yield simulator, base
    simulator.stop()


@pytest.fixture
def sim(started_sim):
    return started_sim[0]


@pytest.fixture
def sim_url(started_sim):
    return started_sim[1]


@pytest.fixture
def conn(sim):
    """An admin connection made the way the adapters make it (explicit credentials)."""
    return cloud.connect(**sim.admin_credentials())


@pytest.fixture
def member_conn(sim):
    return openstack.connect(load_yaml_config=False, load_envvars=False,
                             **sim.project_credentials(PROJECT_A))



@pytest.fixture
def nova(sim, conn, step_clock):
    """The simulated cloud as tests/shared/nova_contract sees it (tests/realcloud gives
    the same checks the test bed)."""
    return Cloud(conn=conn, records=NovaRecords(conn),
                 hosts=[h["name"] for h in INVENTORY["hosts"]],
                 pair=lambda: (VM_ACT, VM_STDBY), single=lambda: VM_WEB,
                 timing={"timeout": 120, "poll": 0.5, "clock": step_clock},
                 reserved_host_memory_mb=NOVA_DEFAULTS["reserved_host_memory_mb"],
                 cpu_allocation_ratio=NOVA_DEFAULTS["cpu_allocation_ratio"],
                 wait=step_clock.sleep)
