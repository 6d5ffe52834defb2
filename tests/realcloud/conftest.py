"""Fixtures for the tests on real OpenStack: the test bed, once per run.

The test bed (tools/testbed) is started by the first test that needs it and
stopped at the end of the run; one already up (`tools/testbed up` by hand) is
used as it is and left running. Without PostgreSQL and RabbitMQ on loopback
every test here is skipped, with the reason.
"""

import os

import pytest

from nova_contract import NovaRecords
from nova_verdict import Inspector
from realcloud_support import TestBed, Workload, missing_services
from rolling_maintenance import cloud
from rolling_maintenance.embedded import stack


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


@pytest.fixture(scope="session")
def mistral(testbed, tmp_path_factory):
    """The embedded Mistral, its actions reaching the test bed as its admin (one per run)."""
    workdir = tmp_path_factory.mktemp("realcloud-mistral")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(OS_CLIENT_CONFIG_FILE=testbed.clouds_yaml, OS_CLOUD="admin")
    with stack.EmbeddedMistral(str(workdir), env=env,
                               reply_api_port=testbed.maintenance_port) as running:
        yield running


@pytest.fixture(scope="session")
def inspector(testbed):
    """A fault manager told of every host's maintenance (`maintenance.host`)."""
    listening = Inspector(testbed.clouds_yaml).start()
    yield listening
    listening.stop()
