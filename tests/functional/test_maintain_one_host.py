"""The chain on the real Mistral: our actions, the simulator, the admin's CLI."""

import json

import pytest

from rolling_maintenance import audit
from rolling_maintenance.demo import environment

from conftest import mistral_cli, pair_inventory, wait_for_execution

INVENTORY = pair_inventory(vm_d_host="compute-0")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with environment.DemoEnvironment(INVENTORY, speed=50.0,
                                     workdir=str(tmp_path_factory.mktemp("chain"))) as running:
        yield running


def test_admin_maintains_one_host_with_the_cli(env):
    initial = env.sim.state()
    out = mistral_cli(env, "execution-create", "maintenance.maintain_one_host",
                      json.dumps({"host": "compute-0"}), "-f", "json")
    execution_id = json.loads(out)["ID"]
    final = wait_for_execution(env, execution_id)
    assert final.state == "SUCCESS", final.state_info

    events = env.sim.events()
    outcome = audit.one_host_verdict(initial, events, "compute-0")
    assert outcome["problems"] == []
    assert outcome["migrations"] == 3
    judged = audit.session_verdict(initial, events, ["compute-0"])
    assert judged["problems"] == []
    assert judged["maintained_count"] == {"compute-0": 1}
    assert judged["failed_migrations"] == 0
