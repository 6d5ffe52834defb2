"""Capacity and hard group policies: what must hold at every moment."""

import pytest

from rolling_maintenance.audit import Cloud, inventory_violations, placement_violations


def host(name, vcpus=2, ram_mb=4096):
    return {"name": name, "vcpus": vcpus, "ram_mb": ram_mb}


def vm(instance_id, on, vcpus=1, ram_mb=1024, group=None):
    return {"id": instance_id, "project_id": "p1", "host": on, "vcpus": vcpus, "ram_mb": ram_mb,
            "group_id": group, "status": "ACTIVE"}


def inventory(hosts, instances, groups=()):
    return {"hosts": list(hosts), "instances": list(instances),
            "groups": [{"group_id": g, "project_id": "p1", "policy": p} for g, p in groups]}


def test_a_sound_cloud_has_no_violations():
    snapshot = inventory([host("a"), host("b")],
                         [vm("x", "a", group="aa"), vm("y", "b", group="aa"), vm("p", "b", group="af"),
                          vm("q", None, group="af")],
                         [("aa", "anti-affinity"), ("af", "affinity")])
    assert inventory_violations(snapshot) == []


def test_over_capacity_on_either_resource():
    snapshot = inventory([host("a", vcpus=2, ram_mb=2048)], [vm("x", "a", vcpus=3), vm("y", "a", ram_mb=2048)])
    assert inventory_violations(snapshot) == ["host a: 4 vcpus used of 2", "host a: 3072 MB ram used of 2048 MB"]


def test_anti_affinity_broken():
    snapshot = inventory([host("a", vcpus=4)], [vm("x", "a", group="aa"), vm("y", "a", group="aa")],
                         [("aa", "anti-affinity")])
    assert inventory_violations(snapshot) == ["anti-affinity group aa: x, y share host a"]


def test_affinity_broken():
    snapshot = inventory([host("a"), host("b")], [vm("x", "a", group="af"), vm("y", "b", group="af")],
                         [("af", "affinity")])
    assert inventory_violations(snapshot) == ["affinity group af: members on 2 hosts (x on a; y on b)"]


def test_capacity_is_what_placement_lets_a_host_take():
    """CPU allocation ratio 4.0 and 512 MB reserved, Nova's defaults."""
    nova = {"cpu_allocation_ratio": 4.0, "reserved_host_memory_mb": 512}
    snapshot = inventory([dict(host("a", vcpus=2, ram_mb=2048), **nova)],
                         [vm("x", "a", vcpus=8, ram_mb=1024), vm("y", "a", vcpus=1, ram_mb=1024)])
    assert inventory_violations(snapshot) == ["host a: 9 vcpus used of 8",
                                              "host a: 2048 MB ram used of 1536 MB"]


def test_soft_policies_are_never_violated():
    snapshot = inventory([host("a", vcpus=4), host("b")],
                         [vm("x", "a", group="sa"), vm("y", "a", group="sa"), vm("p", "a", group="sf"),
                          vm("q", "b", group="sf")],
                         [("sa", "soft-anti-affinity"), ("sf", "soft-affinity")])
    assert inventory_violations(snapshot) == []


def test_a_moving_server_counts_on_both_hosts():
    cloud = Cloud.from_inventory(inventory([host("a"), host("b", vcpus=1)], [vm("x", "a"), vm("y", "b")]))
    cloud.start_migration("x", "live", "a", "b", 0.0)
    assert placement_violations(cloud) == ["host b: 2 vcpus used of 1"]


def test_an_unreadable_inventory_is_refused_by_name():
    with pytest.raises(ValueError, match=r"instances\[0\] \(x\): host 'z' is not a known host"):
        inventory_violations(inventory([host("a")], [vm("x", "z")]))
