"""The dry run on a live cloud plans with the constraints the projects registered
through the constraints API, as the session does: the embedded Mistral (and its
API) and the simulator, `rolling-maintenance plan --cloud` and `inventory --cloud`."""

import json
import os
import warnings

import pytest

from rolling_maintenance import cli, cloud
from rolling_maintenance.embedded import stack
from rolling_maintenance.sim import ManualClock, Simulator

from conftest import http_call

SCOPE = ["compute-0", "compute-1"]
# An anti-affinity pair across the two hosts maintained, and one more instance
# of another project; two hosts to spare.
INVENTORY = {
    "hosts": [{"name": "compute-%d" % i, "vcpus": 8, "ram_mb": 16384} for i in range(4)],
    "groups": [{"group_id": "pair", "project_id": "p1", "name": "pair", "policy": "anti-affinity"}],
    "instances": [
        {"id": "vm-a", "project_id": "p1", "host": "compute-0", "vcpus": 2, "ram_mb": 2048, "group_id": "pair"},
        {"id": "vm-b", "project_id": "p1", "host": "compute-1", "vcpus": 2, "ram_mb": 2048, "group_id": "pair"},
        {"id": "vm-c", "project_id": "p2", "host": "compute-0", "vcpus": 1, "ram_mb": 1024},
    ],
}


@pytest.fixture
def sim_and_mistral(tmp_path, monkeypatch):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "ROLLING_MAINTENANCE_"))}
    for name in list(os.environ):
        if name.startswith(("OS_", "ROLLING_MAINTENANCE_")):
            monkeypatch.delenv(name)
    with Simulator.from_inventory(INVENTORY, clock=ManualClock()) as simulator:
        monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", simulator.clouds_yaml(str(tmp_path / "clouds.yaml")))
        cloud.clear_cache()
        with stack.EmbeddedMistral(str(tmp_path), env=env) as mistral, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield simulator, mistral
        cloud.clear_cache()


def nova_ids(simulator):
    """`{name: id}` of Nova's servers and server groups."""
    ids = {server.name: server_id for server_id, server in simulator.model.servers.items()}
    ids.update({group.name: group_id for group_id, group in simulator.model.groups.items()})
    return ids


def register_constraints(api, ids):
    """What the tenants' VNFMs send: the pair loses one member at a time and needs 30 s
    to recover; vm-c is to be cold-migrated."""
    pair = {"group_id": ids["pair"], "project_id": "p1", "group_name": "pair",
            "anti_affinity_group": True, "max_instances_per_host": 1, "max_impacted_members": 1,
            "recovery_time": 30, "resource_mitigation": False}
    vm_c = {"instance_id": ids["vm-c"], "project_id": "p2", "group_id": None, "instance_name": "vm-c",
            "max_interruption_time": 0, "migration_type": "MIGRATE", "resource_mitigation": False,
            "lead_time": 0}
    assert http_call("PUT", api + "/v1/instance_group/" + ids["pair"], pair) == (200, pair)
    assert http_call("PUT", api + "/v1/instance/" + ids["vm-c"], vm_c) == (200, vm_c)


def plan(capsys, *options):
    capsys.readouterr()
    code = cli.main(["plan", *options, "--json", "--hosts", ",".join(SCOPE), "--bound-time-limit", "1"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def moves(report):
    return {m["instance"]: (m["type"], m["after"]) for one in report["rounds"] for m in one["moves"]}


def test_plan_cloud_plans_with_the_constraints_registered_through_the_api(sim_and_mistral, tmp_path, capsys):
    simulator, mistral = sim_and_mistral
    ids = nova_ids(simulator)
    register_constraints(mistral.reply_api_url, ids)
    live = ["--cloud", "sim-admin", "--mistral-url", mistral.url]

    planned = plan(capsys, *live)
    assert planned["constraints"] == {"source": "mistral", "groups": 1, "instances": 1, "ignored": 0}
    assert moves(planned) == {ids["vm-a"]: ("LIVE_MIGRATE", []), ids["vm-b"]: ("LIVE_MIGRATE", [ids["vm-a"]]),
                              ids["vm-c"]: ("MIGRATE", [])}

    # The plan from Nova alone, which the dry run gave before it read Mistral.
    alone = plan(capsys, "--cloud", "sim-admin", "--without-constraints")
    assert alone["constraints"] == {"source": "none"}
    assert {one[0] for one in moves(alone).values()} == {"LIVE_MIGRATE"}
    assert all(after == [] for _type, after in moves(alone).values())
    assert planned["predicted_duration_s"] > alone["predicted_duration_s"]

    target = tmp_path / "inventory.json"
    assert cli.main(["inventory", *live, "-o", str(target)]) == 0
    assert plan(capsys, "--inventory", str(target)) == planned
