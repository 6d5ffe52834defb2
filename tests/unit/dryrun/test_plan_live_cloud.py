"""`plan --cloud` and `inventory --cloud` against the simulated cloud on loopback,
with the constraints the projects registered in Mistral (an in-memory stand-in
for Mistral's environments)."""

import json
import os
import socket
import types
import warnings

import pytest

from api_fake_environments import FakeEnvironmentsClient
from rolling_maintenance import cli, cloud
from rolling_maintenance.api.constraints_store import MistralConstraintsStore
from rolling_maintenance.sim import ManualClock, Simulator
from rolling_maintenance.sim.model.core import ADMIN_PROJECT

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


MISTRAL_URL = "http://127.0.0.1:9/v2"


def list_mistral_in_the_catalog(simulator, url=MISTRAL_URL):
    """What `openstack service create workflowv2` and `endpoint create` do."""
    service = simulator.model.add_catalog_service({"type": "workflowv2", "name": "mistral"})
    simulator.model.add_catalog_endpoint({"service_id": service["id"], "interface": "public", "url": url})


@pytest.fixture
def mistral(monkeypatch):
    """python-mistralclient's factory answering with environments in memory; `made`
    keeps each client's arguments. A client on a Keystone session acts in its
    project, as Mistral's own client does."""
    from mistralclient.api import client as mistral_factory

    environments = FakeEnvironmentsClient().environments
    made = []

    def new_client(**kwargs):
        made.append(kwargs)
        client = types.SimpleNamespace(environments=environments)
        if kwargs.get("session") is not None:
            environments.http_client = types.SimpleNamespace(session=kwargs["session"])
        return client

    monkeypatch.setattr(mistral_factory, "client", new_client)
    return types.SimpleNamespace(made=made, store=MistralConstraintsStore(
        types.SimpleNamespace(environments=environments)), environments=environments)


def instance_constraint(instance_id, **changes):
    return dict({"instance_id": instance_id, "project_id": "project-a", "group_id": None,
                 "instance_name": instance_id, "max_interruption_time": 0,
                 "migration_type": "LIVE_MIGRATE", "resource_mitigation": False, "lead_time": 0},
                **changes)


def server_id(simulator, name):
    """Nova's id of the server the inventory called `name`."""
    return next(i for i, server in simulator.model.servers.items() if server.name == name)


def move_types(report):
    return {m["instance"]: m["type"] for one in report["rounds"] for m in one["moves"]}


def plan_json(argv, capsys):
    capsys.readouterr()
    code = cli.main(argv + ["--json", "--bound-time-limit", "1"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_plan_and_inventory_read_the_constraints_registered_in_mistral(sim_cloud, mistral, tmp_path, capsys):
    """A tenant asks for vm-0 to be cold-migrated: `plan --cloud` plans it so, as
    the session would; without the constraints it would live-migrate it."""
    list_mistral_in_the_catalog(sim_cloud)
    vm_0, vm_1 = server_id(sim_cloud, "vm-0"), server_id(sim_cloud, "vm-1")
    mistral.environments.project_id = ADMIN_PROJECT  # the constraints API's identity
    mistral.store.put_instance(vm_0, instance_constraint(vm_0, migration_type="MIGRATE"))
    mistral.environments.project_id = "project-b"  # a like-named environment of another project
    mistral.environments.create(name="maintenance-instance-" + vm_1,
                                variables=instance_constraint(vm_1, migration_type="MIGRATE"))

    live = plan_json(["plan", "--cloud", "sim-admin"], capsys)
    assert mistral.made[-1]["mistral_url"] == MISTRAL_URL
    assert mistral.made[-1]["session"].get_project_id() == ADMIN_PROJECT
    assert move_types(live)[vm_0] == "MIGRATE" and move_types(live)[vm_1] == "LIVE_MIGRATE"
    assert live["constraints"] == {"source": "mistral", "groups": 0, "instances": 1, "ignored": 0}
    assert sorted(h for one in live["rounds"] for h in one["hosts"]) == [h["name"] for h in INVENTORY["hosts"]]

    target = tmp_path / "inventory.json"
    assert cli.main(["inventory", "--cloud", "sim-admin", "-o", str(target)]) == 0
    assert "constraints from Mistral: 0 group(s), 1 instance(s), 0 ignored" in capsys.readouterr().err
    written = json.loads(target.read_text())
    assert sorted(i["name"] for i in written["instances"]) == sorted(i["id"] for i in INVENTORY["instances"])
    assert {i["id"]: i.get("migration_type") for i in written["instances"]}[vm_0] == "MIGRATE"
    assert plan_json(["plan", "--inventory", str(target)], capsys) == live

    alone = plan_json(["plan", "--cloud", "sim-admin", "--without-constraints"], capsys)
    assert set(move_types(alone).values()) == {"LIVE_MIGRATE"}
    assert alone["constraints"] == {"source": "none"}

    capsys.readouterr()
    assert cli.main(["plan", "--cloud", "sim-admin"]) == 0
    assert "constraints from Mistral: 0 group(s), 1 instance(s)" in capsys.readouterr().out


def test_the_embedded_mistral_is_read_at_its_url_and_a_service_identity_as_named(sim_cloud, mistral, capsys):
    vm_0 = server_id(sim_cloud, "vm-0")
    mistral.store.put_instance(vm_0, instance_constraint(vm_0, migration_type="MIGRATE"))
    embedded = plan_json(["plan", "--cloud", "sim-admin", "--mistral-url", "http://127.0.0.1:8989/v2"], capsys)
    assert mistral.made[-1] == {"mistral_url": "http://127.0.0.1:8989/v2"}
    assert move_types(embedded)[vm_0] == "MIGRATE"
    as_tenant = plan_json(["plan", "--cloud", "sim-admin", "--mistral-url", "http://127.0.0.1:8989/v2",
                           "--mistral-cloud", "sim-project-a"], capsys)
    assert mistral.made[-1]["mistral_url"] == "http://127.0.0.1:8989/v2"
    assert mistral.made[-1]["session"].get_project_id() == "project-a"
    # The store wrote in another Mistral project than project-a's: nothing is counted.
    assert as_tenant["constraints"] == {"source": "mistral", "groups": 0, "instances": 0, "ignored": 0}


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_mistral_is_named_and_nothing_is_planned_or_written(sim_cloud, tmp_path, capsys):
    url = "http://127.0.0.1:%d/v2" % closed_port()
    code = cli.main(["plan", "--cloud", "sim-admin", "--mistral-url", url, "--json"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.startswith("cannot read the projects' constraints from Mistral %s: " % url)
    assert "--without-constraints" in captured.err
    target = tmp_path / "inventory.json"
    assert cli.main(["inventory", "--cloud", "sim-admin", "--mistral-url", url, "-o", str(target)]) == 1
    assert "cannot read the projects' constraints" in capsys.readouterr().err and not target.exists()


def test_a_cloud_without_mistral_in_its_catalog_is_told_how_to_go_on(sim_cloud, capsys):
    assert cli.main(["plan", "--cloud", "sim-admin"]) == 1
    err = capsys.readouterr().err
    assert "from Mistral in the catalog of cloud sim-admin: no Mistral (workflowv2) in the cloud's catalog" in err
    assert "--mistral-url" in err and "--without-constraints" in err


@pytest.mark.parametrize("argv, message", [
    (["plan", "--inventory", "inventory.json", "--without-constraints"],
     "error: --without-constraints is for --cloud: an inventory file holds its constraints"),
    (["plan", "--inventory", "inventory.json", "--mistral-url", "http://127.0.0.1:8989/v2"],
     "error: --mistral-url is for --cloud"),
    (["plan", "--cloud", "sim-admin", "--without-constraints", "--mistral-cloud", "sim-admin"],
     "error: --without-constraints reads no Mistral: drop --mistral-url and --mistral-cloud"),
    (["inventory", "--cloud", "sim-admin", "--without-constraints", "--mistral-url", "http://m/v2"],
     "error: --without-constraints reads no Mistral"),
])
def test_options_that_contradict_each_other_are_refused_before_anything_is_read(argv, message, capsys,
                                                                                 monkeypatch):
    monkeypatch.setattr(cloud, "connect", pytest.fail)
    assert cli.main(argv) == 2
    assert capsys.readouterr().err.startswith(message)


def test_a_mistral_url_that_is_not_http_is_named(capsys):
    with pytest.raises(SystemExit):
        cli.main(["plan", "--cloud", "sim-admin", "--mistral-url", "127.0.0.1:8989"])
    assert "must be an http(s) URL like http://127.0.0.1:8989/v2, got '127.0.0.1:8989'" \
        in capsys.readouterr().err


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
            assert cli.main(["inventory", "--cloud", "sim-admin", "--without-constraints",
                             "-o", str(target)]) == 0
            capsys.readouterr()
            assert cli.main(["plan", "--cloud", "sim-admin", "--without-constraints", "--json"]) == 0
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
