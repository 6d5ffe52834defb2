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
    assert report["hosts"]["a"] == {"enabled": True, "vcpus": 4, "ram_mb": 8192, "used_vcpus": 3,
                                    "used_ram_mb": 3072, "free_vcpus": 1, "free_ram_mb": 5120, "instances": 2}
    assert report["hosts"]["b"]["free_vcpus"] == -1 and report["hosts"]["b"]["enabled"] is False
    assert report["hosts"]["c"]["used_vcpus"] == 0 and report["hosts"]["c"]["instances"] == 0
    assert report["totals"] == {
        "hosts": 3, "enabled_hosts": 2, "vcpus": 14, "ram_mb": 26624, "used_vcpus": 6, "used_ram_mb": 4096,
        "instances": 3, "free_vcpus": 9, "free_ram_mb": 22528, "unplaced_instances": 1}


def test_empty_cloud():
    assert capacity_report({"hosts": []})["totals"]["free_vcpus"] == 0
