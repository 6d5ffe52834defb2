"""Building the cloud from an inventory, and the generated inventories."""

import copy

import pytest
from simcloud import EPOCH, sid, small_inventory

from rolling_maintenance.sim import ManualClock, Simulator, generate
from rolling_maintenance.sim.inventory import InventoryError, build_model, stable_id


def build(inventory):
    return build_model(inventory, ManualClock(), EPOCH)


def test_inventory_builds_hosts_servers_groups_and_projects():
    model = build(small_inventory())
    assert list(model.hosts) == ["compute-0", "compute-1", "compute-2"]
    vm1 = model.servers[sid("vm1")]
    assert (vm1.name, vm1.host, vm1.status, vm1.project_id) == ("vm1", "compute-0", "ACTIVE", "p1")
    assert vm1.flavor.name == "m1.v1r1024"
    group = model.groups[stable_id("group", "g1")]
    assert group.policy == "anti-affinity"
    assert group.members == [sid("vm1"), sid("vm2")]
    assert {p.id: p.name for p in model.projects.values()} == {"admin": "admin", "p1": "demo1", "p2": "demo2"}
    assert model.usage()["compute-0"] == [3, 5120, 2]


def test_uuid_ids_are_kept_and_names_default_to_the_given_id():
    inventory = small_inventory()
    given = "7d1f8a6e-6a55-4d4c-9a48-0f2f6d4b9a11"
    inventory["instances"][0]["id"] = given
    inventory["instances"][1].pop("id")
    inventory["instances"][1]["name"] = "named-only"
    model = build(inventory)
    assert model.servers[given].name == given
    assert model.servers[stable_id("server", "named-only")].name == "named-only"
    assert stable_id("server", "vm3") == stable_id("server", "vm3") != stable_id("group", "vm3")


def test_projects_are_implied_by_instances_and_groups():
    inventory = small_inventory()
    del inventory["projects"]
    model = build(inventory)
    assert model.projects["p1"].name == "p1"


def test_unplaced_instances_are_scheduled():
    inventory = small_inventory()
    inventory["instances"].append({"id": "vm5", "project_id": "p1", "vcpus": 1, "ram_mb": 1024,
                                   "group_id": "g1"})
    model = build(inventory)
    assert model.servers[sid("vm5")].host == "compute-2"


@pytest.mark.parametrize("change, message", [
    (lambda inv: inv["hosts"][0].update(vcpus=0), r"hosts\[0\]\.vcpus must be a positive integer"),
    (lambda inv: inv["hosts"].append({"name": "compute-0", "vcpus": 1, "ram_mb": 1}),
     r"hosts\[3\]\.name: duplicate host"),
    (lambda inv: inv["instances"][0].update(host="nowhere"), r"instances\[0\]\.host: no host 'nowhere'"),
    (lambda inv: inv["instances"][0].update(ram_mb=16384), r"instances\[0\]\.host: .*MB free RAM"),
    (lambda inv: inv["instances"][1].update(host="compute-0"), r"instances\[1\]\.host: .*anti-affinity"),
    (lambda inv: inv["instances"][0].update(group_id="g9"), r"instances\[0\]\.group_id: no group 'g9'"),
    (lambda inv: inv["instances"][3].update(group_id="g1"), r"belongs to project p1, not p2"),
    (lambda inv: inv["groups"][0].update(policy="spread"), r"groups\[0\]\.policy must be one of"),
    (lambda inv: inv["instances"][0].pop("project_id"), r"instances\[0\]\.project_id"),
    (lambda inv: inv.update(timing={"boot_s": -1}), r"timing\.boot_s must be a number >= 0"),
    (lambda inv: inv.update(hosts="compute-0"), r"hosts must be a list"),
])
def test_bad_inventories_are_rejected_with_the_place_named(change, message):
    inventory = small_inventory()
    change(inventory)
    with pytest.raises(InventoryError, match=message):
        build(inventory)


def test_group_without_policy_is_kept_but_unknown_to_nova():
    inventory = small_inventory()
    inventory["groups"][0]["policy"] = None
    inventory["instances"][1]["host"] = "compute-0"
    model = build(inventory)
    assert model.groups[stable_id("group", "g1")].policy is None
    assert model.placement_for(model.servers[sid("vm1")]).policy is None


def test_generated_inventory_is_deterministic_and_builds():
    first = generate.generate_inventory(hosts=5, instances_per_host=3, seed=4)
    assert first == generate.generate_inventory(hosts=5, instances_per_host=3, seed=4)
    assert first != generate.generate_inventory(hosts=5, instances_per_host=3, seed=5)
    assert len(first["hosts"]) == 5 and len(first["instances"]) == 15
    assert len(first["projects"]) == 2
    assert first["groups"] and all(g["policy"] == "anti-affinity" for g in first["groups"])
    model = build(copy.deepcopy(first))
    used = model.usage()
    for host in model.hosts.values():
        assert used[host.name][1] <= host.ram_mb * 0.75
        assert used[host.name][0] <= host.vcpus * 0.75


def test_generated_pairs_sit_on_different_hosts():
    inventory = generate.generate_inventory(hosts=3, instances_per_host=8, seed=2)
    by_group = {}
    for instance in inventory["instances"]:
        if "group_id" in instance:
            by_group.setdefault(instance["group_id"], []).append(instance["host"])
    assert by_group
    assert all(len(hosts) == 2 and hosts[0] != hosts[1] for hosts in by_group.values())


def test_generate_rejects_bad_arguments():
    with pytest.raises(ValueError, match="hosts must be an integer >= 1"):
        generate.generate_inventory(hosts=0, instances_per_host=1)
    with pytest.raises(ValueError, match="spare"):
        generate.generate_inventory(hosts=1, instances_per_host=1, spare=1.0)


def test_simulator_credentials_need_a_started_simulator():
    sim = Simulator.from_inventory(small_inventory(), clock=ManualClock())
    with pytest.raises(RuntimeError, match="start"):
        sim.admin_credentials()
