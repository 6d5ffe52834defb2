"""The sample VNFM registers its pair's and its instances' constraints when it starts."""

import os
import signal
import socket
import subprocess
import sys
import urllib.parse

import pytest

from rolling_maintenance.cloud import catalog
from rolling_maintenance.api import ReplyAPI
from rolling_maintenance.api.constraints_store import MemoryConstraintsStore
from rolling_maintenance.sim.inventory import stable_id
from rolling_maintenance.sim.model.servers import DEFAULT_IMAGE
from rolling_maintenance.vnfm import constraints as vnf_constraints
from rolling_maintenance.vnfm.manager import SampleVnfm
from rolling_maintenance.vnfm.reply_client import ReplyApiError
from vnfm_support import EMPTY_PROJECT, OTHER_PROJECT, PROJECT, VM, live_servers

PAIR_GROUP = stable_id("group", "pair")


class NoMistral:
    """The reply side is not used here: only the constraints endpoints are called."""


@pytest.fixture
def constraints_api():
    store = MemoryConstraintsStore()
    api = ReplyAPI(mistral_client=NoMistral(), constraints_store=store)
    api.start()
    yield api, store
    api.stop()


def test_start_registers_the_pair_group_and_every_instance(make_vnfm, constraints_api):
    api, store = constraints_api
    vnfm = make_vnfm(constraints_url=api.url + "/", recovery_time=25)
    assert store.list_groups() == [{
        "group_id": PAIR_GROUP, "project_id": PROJECT, "group_name": "demo1-pair",
        "anti_affinity_group": True, "max_instances_per_host": 1, "max_impacted_members": 1,
        "recovery_time": 25, "resource_mitigation": False}]
    instances = {c["instance_id"]: c for c in store.list_instances()}
    assert sorted(instances) == sorted(VM[name] for name in ("vm-a", "vm-b", "vm-x", "vm-y"))
    for name in ("vm-a", "vm-b"):
        assert instances[VM[name]] == {
            "instance_id": VM[name], "project_id": PROJECT, "group_id": PAIR_GROUP,
            "instance_name": name, "max_interruption_time": 1, "migration_type": "LIVE_MIGRATE",
            "resource_mitigation": False, "lead_time": 0}
    assert instances[VM["vm-x"]]["group_id"] is None
    assert instances[VM["vm-x"]]["instance_name"] == "vm-x"
    assert vnfm.registered[0] == "%s/v1/instance_group/%s" % (api.url, PAIR_GROUP)
    assert len(vnfm.registered) == 5


def test_recovery_time_defaults_to_ten_seconds(make_vnfm, constraints_api):
    api, store = constraints_api
    make_vnfm(constraints_url=api.url)
    assert store.get_group(PAIR_GROUP)["recovery_time"] == 10


def test_a_project_without_a_pair_registers_only_its_instances(make_vnfm, constraints_api):
    api, store = constraints_api
    make_vnfm(project_id=OTHER_PROJECT, constraints_url=api.url)
    assert store.list_groups() == []
    assert [c["instance_id"] for c in store.list_instances()] == [VM["vm-o"]]
    assert store.get_instance(VM["vm-o"])["group_id"] is None


def test_no_constraints_url_registers_nothing(make_vnfm, constraints_api):
    _, store = constraints_api
    vnfm = make_vnfm()
    assert vnfm.registered == [] and store.list_groups() == [] and store.list_instances() == []


def test_a_refusal_fails_the_start_and_closes_the_webhook(sim, constraints_api, fake_keystone):
    api, store = constraints_api
    keystone = ReplyAPI(mistral_client=NoMistral(), constraints_store=store, auth="keystone",
                        keystone_conf=fake_keystone.config())
    keystone.start()
    try:
        vnfm = SampleVnfm.from_credentials(sim.project_credentials(PROJECT),
                                           constraints_url=keystone.url)
        with pytest.raises(ReplyApiError) as caught:
            vnfm.start()
        assert caught.value.status == 401
        assert "/v1/instance_group/%s" % PAIR_GROUP in str(caught.value)
        host, port = urllib.parse.urlsplit(vnfm.url)[1].split(":")
        with pytest.raises(OSError):
            socket.create_connection((host, int(port)), timeout=2).close()
    finally:
        keystone.stop()
    assert store.list_groups() == []


def test_recovery_time_must_be_whole_seconds():
    with pytest.raises(ValueError, match="recovery_time must be a whole number of seconds >= 0"):
        vnf_constraints.check_recovery_time(-1)
    with pytest.raises(ValueError, match="got True"):
        vnf_constraints.check_recovery_time(True)
    assert vnf_constraints.check_recovery_time(0) == 0


def run_cli(tmp_path, sim, *args):
    clouds = sim.clouds_yaml(str(tmp_path / "clouds.yaml"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    return subprocess.Popen(
        [sys.executable, "-m", "rolling_maintenance.vnfm.cli", "--clouds-yaml", clouds, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_cli_registers_a_deployed_application(tmp_path, sim, constraints_api):
    api, store = constraints_api
    proc = run_cli(tmp_path, sim, "--cloud", "sim-%s" % EMPTY_PROJECT, "--deploy", "1",
                   "--image", DEFAULT_IMAGE, "--constraints-url", api.url, "--recovery-time", "7")
    try:
        assert proc.stdout.readline().startswith("http://127.0.0.1:"), proc.stderr.read()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        proc.stdout.close()
        proc.stderr.close()
    [group] = store.list_groups()
    assert group["project_id"] == EMPTY_PROJECT and group["recovery_time"] == 7
    servers = live_servers(sim, EMPTY_PROJECT)
    instances = {c["instance_id"]: c for c in store.list_instances()}
    assert sorted(instances) == sorted(servers)
    in_pair = sorted(c["instance_name"] for c in instances.values()
                     if c["group_id"] == group["group_id"])
    assert in_pair == [group["group_name"] + "-0", group["group_name"] + "-1"]


def test_cli_reports_a_refusal_in_one_line(tmp_path, sim, fake_keystone):
    store = MemoryConstraintsStore()
    keystone = ReplyAPI(mistral_client=NoMistral(), constraints_store=store, auth="keystone",
                        keystone_conf=fake_keystone.config())
    keystone.start()
    try:
        proc = run_cli(tmp_path, sim, "--cloud", "sim-%s" % PROJECT,
                       "--constraints-url", keystone.url)
        out, err = proc.communicate(timeout=30)
    finally:
        keystone.stop()
    assert proc.returncode == 1 and out == ""
    assert "the constraints API refused" in err and "401" in err


def test_the_catalogs_versioned_url_is_not_versioned_twice(make_vnfm, constraints_api):
    api, store = constraints_api
    vnfm = make_vnfm(constraints_url=catalog.versioned(api.url))
    assert catalog.versioned(api.url) == api.url + "/v1" == catalog.versioned(api.url + "/v1/")
    assert vnfm.registered[0] == "%s/v1/instance_group/%s" % (api.url, PAIR_GROUP)
    assert store.get_group(PAIR_GROUP) is not None
