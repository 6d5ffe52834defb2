"""The rules every state of the cloud must keep."""

import pytest

from planner_clouds import cloud, group, host, vm

from rolling_maintenance.planner import InvalidInput, check_invariants


def test_a_sound_cloud_has_no_violations():
    snapshot = cloud([host("a"), host("b")],
                     [vm("x", "a", group="aa"), vm("y", "b", group="aa"), vm("p", "b", group="af"),
                      vm("q", None, group="af")],
                     [group("aa", "anti-affinity"), group("af", "affinity")])
    assert check_invariants(snapshot) == []


def test_over_capacity_on_either_resource():
    snapshot = cloud([host("a", vcpus=2, ram_mb=2048)], [vm("x", "a", vcpus=3, ram_mb=1024), vm("y", "a", ram_mb=2048)])
    assert check_invariants(snapshot) == ["host a: 4 vcpus used of 2", "host a: 3072 MB ram used of 2048 MB"]


def test_anti_affinity_broken():
    snapshot = cloud([host("a", vcpus=4)], [vm("x", "a", group="aa"), vm("y", "a", group="aa")],
                     [group("aa", "anti-affinity")])
    assert check_invariants(snapshot) == ["anti-affinity group aa: x, y share host a"]


def test_affinity_broken():
    snapshot = cloud([host("a"), host("b")], [vm("x", "a", group="af"), vm("y", "b", group="af")],
                     [group("af", "affinity")])
    assert check_invariants(snapshot) == ["affinity group af: members on 2 hosts (x on a; y on b)"]


def test_soft_policies_are_never_violated():
    snapshot = cloud([host("a", vcpus=4), host("b")],
                     [vm("x", "a", group="sa"), vm("y", "a", group="sa"), vm("p", "a", group="sf"),
                      vm("q", "b", group="sf")],
                     [group("sa", "soft-anti-affinity"), group("sf", "soft-affinity")])
    assert check_invariants(snapshot) == []


def test_an_unreadable_snapshot_raises():
    with pytest.raises(InvalidInput, match="host 'z' is not a known host"):
        check_invariants(cloud([host("a")], [vm("x", "z")]))
