"""Fixtures: a simulated cloud, the maintenance side played by the test, and VNFMs."""

import os
import time

import pytest

from rolling_maintenance.sim import ScaledClock, Simulator
from rolling_maintenance.vnfm.manager import SampleVnfm
from rolling_maintenance.vnfm.reply_client import ReplyClient
from vnfm_fake_maintenance import FakeMaintenance
from vnfm_support import INVENTORY, PROJECT, SPEED


def pytest_collection_modifyitems(config, items):
    """openstacksdk 4.22 warns about its own internals on nearly every call."""
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.filterwarnings(
                "ignore::openstack.warnings.OpenStackDeprecationWarning"))
            item.add_marker(pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"))


@pytest.fixture
def sim():
    simulator = Simulator.from_inventory(INVENTORY, clock=ScaledClock(speed=SPEED))
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def side():
    fake = FakeMaintenance().start()
    yield fake
    fake.stop()


@pytest.fixture
def make_vnfm(sim):
    started = []

    def make(project_id=PROJECT, adopt=True, sleeps=None, **kwargs):
        client = ReplyClient(retry_delay=0.01,
                             sleep=(sleeps.append if sleeps is not None else time.sleep))
        kwargs.setdefault("clock", sim.clock.now)
        vnfm = SampleVnfm.from_credentials(sim.project_credentials(project_id), reply_client=client,
                                           poll=0.01, timeout=30, **kwargs)
        vnfm.start(adopt=adopt)
        started.append(vnfm)
        return vnfm

    yield make
    for vnfm in started:
        vnfm.stop()
