"""The capacity report an admin reads before and during a session."""

from planner_clouds import cloud, host, vm

from rolling_maintenance.planner import capacity_report


def test_per_host_and_totals():
    snapshot = cloud([host("a", vcpus=4, ram_mb=8192), host("b", vcpus=2, ram_mb=2048, enabled=False),
                      host("c", vcpus=8, ram_mb=16384)],
                     [vm("i1", "a", vcpus=1, ram_mb=2048), vm("i2", "a", vcpus=2, ram_mb=1024),
                      vm("i3", "b", vcpus=3, ram_mb=1024), vm("i4", None, vcpus=8, ram_mb=8192)])
    report = capacity_report(snapshot)
    assert list(report["hosts"]) == ["a", "b", "c"]
    assert report["hosts"]["a"] == {"enabled": True, "vcpus": 4, "ram_mb": 8192, "total_vcpus": 4,
                                    "total_ram_mb": 8192, "used_vcpus": 3, "used_ram_mb": 3072,
                                    "free_vcpus": 1, "free_ram_mb": 5120, "instances": 2}
    assert report["hosts"]["b"]["free_vcpus"] == -1 and report["hosts"]["b"]["enabled"] is False
    assert report["hosts"]["c"]["used_vcpus"] == 0 and report["hosts"]["c"]["instances"] == 0
    assert report["totals"] == {
        "hosts": 3, "enabled_hosts": 2, "vcpus": 14, "ram_mb": 26624, "total_vcpus": 14,
        "total_ram_mb": 26624, "used_vcpus": 6, "used_ram_mb": 4096,
        "instances": 3, "free_vcpus": 9, "free_ram_mb": 22528, "unplaced_instances": 1}


def test_empty_cloud():
    assert capacity_report({"hosts": []})["totals"]["free_vcpus"] == 0


def test_allocation_ratios_and_reserved_memory_as_placement_counts_them():
    """Nova's defaults: CPU ratio 4.0 and 512 MB reserved; a host takes
    (total - reserved) * ratio."""
    nova = {"cpu_allocation_ratio": 4.0, "ram_allocation_ratio": 1.0, "reserved_host_memory_mb": 512}
    snapshot = cloud([dict(host("a", vcpus=4, ram_mb=8192), **nova)],
                     [vm("i1", "a", vcpus=7, ram_mb=7168)])
    a = capacity_report(snapshot)["hosts"]["a"]
    assert (a["vcpus"], a["ram_mb"], a["total_vcpus"], a["total_ram_mb"]) == (16, 7680, 4, 8192)
    assert (a["free_vcpus"], a["free_ram_mb"]) == (9, 512)


def test_bad_ratios_and_reserved_are_named():
    import pytest

    from rolling_maintenance.planner.model.errors import InvalidInput
    for bad, words in (({"cpu_allocation_ratio": 0}, "'cpu_allocation_ratio' must be a number above 0"),
                       ({"ram_allocation_ratio": "2"}, "'ram_allocation_ratio' must be a number above 0"),
                       ({"reserved_host_memory_mb": 9000}, "'reserved_host_memory_mb' (9000) is more"),
                       ({"reserved_vcpus": -1}, "'reserved_vcpus' must be a non-negative integer")):
        with pytest.raises(InvalidInput, match=words.replace("(", r"\(").replace(")", r"\)")):
            capacity_report(cloud([dict(host("a", vcpus=4, ram_mb=8192), **bad)], []))
