"""Servers per host, server groups and the planner snapshot, across all projects."""

import pytest

from contract_support import (GROUP_HA, PROJECT_A, PROJECT_B, VM_ACT, VM_STDBY, VM_WEB,
                              events_of)
from rolling_maintenance import cloud


def test_list_servers_on_a_host(conn, recorder):
    found = cloud.list_servers(conn, host="compute-0")
    assert sorted(s["id"] for s in found) == sorted([VM_ACT, VM_WEB])
    request = recorder.one("GET", "/servers/detail")
    assert sorted(request.query) == [("all_tenants", "True"), ("host", "compute-0")]
    assert request.microversion_at_least("2.47")  # the flavor is embedded from 2.47
    act = next(s for s in found if s["id"] == VM_ACT)
    assert act == {"id": VM_ACT, "name": "act", "project_id": PROJECT_A, "host": "compute-0",
                   "status": "ACTIVE", "task_state": None, "vm_state": "active",
                   "vcpus": 2, "ram_mb": 2048, "flavor": act["flavor"]}
    assert isinstance(act["flavor"], str) and act["flavor"]


def test_sdk_host_filter_returns_nothing(conn, recorder):
    """The reason for compute_host=: the SDK's host= sends the same query, then drops everything."""
    assert list(conn.compute.servers(all_projects=True, host="compute-0")) == []
    request = recorder.one("GET", "/servers/detail")
    assert sorted(request.query) == [("all_tenants", "True"), ("host", "compute-0")]


def test_list_all_servers_and_an_empty_host(conn, recorder):
    everything = cloud.list_servers(conn)
    assert sorted(s["id"] for s in everything) == sorted([VM_ACT, VM_STDBY, VM_WEB])
    assert {s["project_id"] for s in everything} == {PROJECT_A, PROJECT_B}
    assert recorder.one("GET", "/servers/detail").query == [("all_tenants", "True")]
    assert cloud.list_servers(conn, host="compute-2") == []


def test_listing_per_host_needs_admin(member_conn):
    with pytest.raises(cloud.CloudError) as info:
        cloud.list_servers(member_conn, host="compute-0")
    assert info.value.code == "forbidden"


def test_get_server_and_not_found(conn, recorder):
    assert cloud.get_server(conn, VM_STDBY)["host"] == "compute-1"
    assert recorder.one("GET", f"/servers/{VM_STDBY}").microversion_at_least("2.47")
    with pytest.raises(cloud.CloudError) as info:
        cloud.get_server(conn, "00000000-0000-4000-8000-000000000000")
    assert info.value.code == "not_found"


def test_list_server_groups_of_all_projects(conn, recorder):
    groups = cloud.list_server_groups(conn)
    request = recorder.one("GET", "/os-server-groups")
    assert request.query == [("all_projects", "True")]
    assert request.microversion == "compute 2.64"
    assert len(groups) == 1
    group = groups[0]
    assert {k: group[k] for k in ("group_id", "name", "project_id", "policy")} == {
        "group_id": GROUP_HA, "name": "ha-pair", "project_id": PROJECT_A,
        "policy": "anti-affinity"}
    assert sorted(group["members"]) == sorted([VM_ACT, VM_STDBY])


def test_snapshot_in_planner_format(conn):
    snap = cloud.snapshot(conn)
    assert snap["hosts"][0] == {"name": "compute-0", "vcpus": 16, "ram_mb": 32768,
                                "cpu_allocation_ratio": 4.0, "ram_allocation_ratio": 1.0,
                                "reserved_vcpus": 0, "reserved_host_memory_mb": 512,
                                "enabled": True, "state": "up"}
    assert [h["name"] for h in snap["hosts"]] == ["compute-0", "compute-1", "compute-2"]
    by_id = {i["id"]: i for i in snap["instances"]}
    assert set(by_id) == {VM_ACT, VM_STDBY, VM_WEB}
    assert by_id[VM_ACT] == {"id": VM_ACT, "name": "act", "project_id": PROJECT_A,
                             "host": "compute-0", "vcpus": 2, "ram_mb": 2048,
                             "group_id": GROUP_HA, "status": "ACTIVE"}
    assert by_id[VM_WEB]["group_id"] is None
    assert snap["groups"] == [{"group_id": GROUP_HA, "project_id": PROJECT_A,
                               "name": "ha-pair", "policy": "anti-affinity"}]


def test_member_creates_and_deletes_a_server(sim, member_conn, step_clock, recorder):
    group_id = GROUP_HA
    created = cloud.create_server(member_conn, "scaled-1", "m1.small", "cirros",
                                  group_id=group_id, timeout=60, poll=0.5, clock=step_clock)
    assert created["status"] == "ACTIVE" and created["project_id"] == PROJECT_A
    post = recorder.one("POST", "/servers")
    assert post.json["server"]["name"] == "scaled-1"
    assert post.json["server"]["flavorRef"] == "m1.small"
    assert post.json["server"]["imageRef"] == "cirros"
    assert post.json["server"]["networks"] == "auto"
    assert post.json["OS-SCH-HNT:scheduler_hints"] == {"group": group_id}
    assert [e["server"] for e in events_of(sim, "server.active")] == [created["id"]]

    recorder.clear()
    assert cloud.delete_server(member_conn, created["id"]) is True
    assert recorder.one("DELETE", "/servers/" + created["id"])
    assert cloud.delete_server(member_conn, created["id"]) is False
    assert [e["server"] for e in events_of(sim, "server.deleted")] == [created["id"]]


def test_create_server_without_a_valid_host_is_a_server_error(member_conn, step_clock):
    """Three hosts, anti-affinity: the fourth member of the group has nowhere to go."""
    cloud.create_server(member_conn, "third", "m1.small", "cirros", group_id=GROUP_HA,
                        timeout=60, poll=0.5, clock=step_clock)
    with pytest.raises(cloud.CloudError) as info:
        cloud.create_server(member_conn, "fourth", "m1.small", "cirros", group_id=GROUP_HA,
                            timeout=60, poll=0.5, clock=step_clock)
    assert info.value.code == "server_error"
    assert info.value.details["wanted"] == "ACTIVE"
