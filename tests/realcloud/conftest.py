"""Fixtures for the tests on real OpenStack: the test bed, once per run.

The test bed (tools/testbed) is started by the first test that needs it and
stopped at the end of the run; one already up (`tools/testbed up` by hand) is
used as it is and left running. Without PostgreSQL and RabbitMQ on loopback
every test here is skipped, with the reason.
"""

import os

import pytest

from nova_contract import NovaRecords
from realcloud_support import TestBed, Workload, missing_services
from rolling_maintenance import cloud


@pytest.fixture(scope="session")
def testbed():
    reason = missing_services()
    if reason:
        pytest.skip(reason)
    bed = TestBed().start()
    yield bed
    bed.stop()


@pytest.fixture(autouse=True)
def testbed_clouds(request, monkeypatch):
    """Only the test bed's clouds.yaml is seen, and no OS_* variable of the machine."""
    if "testbed" not in request.fixturenames:
        yield
        return
    bed = request.getfixturevalue("testbed")
    for name in [n for n in os.environ if n.startswith("OS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", bed.clouds_yaml)
    cloud.clear_cache()
    yield
    cloud.clear_cache()


@pytest.fixture
def conn(testbed):
    """An admin connection made the way the adapters make it."""
    return cloud.connect(cloud="admin")


@pytest.fixture
def member_conn(testbed):
    return cloud.connect(cloud="tenant-a")


@pytest.fixture
def records(testbed):
    return NovaRecords(testbed.connect("admin"))


@pytest.fixture
def workload(testbed):
    made = Workload(testbed)
    yield made
    made.delete_all()
