"""Every adapter of rolling_maintenance.cloud against a real Nova 34, Placement and Aodh 23.

The same contract as tests/contract (which runs against the simulator), with
the verdict taken from Nova's own records. What both clouds must do alike
(no valid host, 400 or 202 by microversion, the stale scheduler view,
confirming, reserved memory, a boot without an image) is asserted once in
tests/shared/nova_contract and run on both (test_nova_contract_testbed.py here).
"""

import time

import pytest

from rolling_maintenance import cloud

FAST = {"timeout": 300, "poll": 0.5}
EVENT = "maintenance.planned"


def booted(workload, count, cloud_name="tenant-a", group=None, flavor="m1.small"):
    group_id = workload.group(cloud_name, "pair") if group else None
    ids = [workload.boot(cloud_name, f"vm-{i}", flavor=flavor, group_id=group_id)
           for i in range(count)]
    workload.wait_active(ids)
    return (ids, group_id) if group else ids


def other_host(testbed, *taken):
    return next(h for h in sorted(testbed.hosts) if h not in taken)


# --- hosts -----------------------------------------------------------------------------------

def test_list_compute_hosts_with_capacity(testbed, conn, records):
    listed = {h["name"]: h for h in cloud.list_compute_hosts(conn)}
    assert sorted(listed) == sorted(testbed.hosts)
    for name, spec in testbed.hosts.items():
        host = listed[name]
        assert (host["vcpus"], host["ram_mb"]) == (spec["vcpus"], spec["ram_mb"])
        assert host["enabled"] is True and host["state"] == "up"
        assert host["service_id"] == records.services()[name]["id"]


def test_disable_and_enable_host_are_idempotent(testbed, conn, records):
    host = sorted(testbed.hosts)[-1]
    try:
        assert cloud.disable_host(conn, host, "maintenance") is True
        assert cloud.disable_host(conn, host, "maintenance") is False
        service = records.services()[host]
        assert (service["status"], service["disabled_reason"]) == ("disabled", "maintenance")
        assert cloud.disable_host(conn, host, "another reason") is True
        assert records.services()[host]["disabled_reason"] == "another reason"
    finally:
        assert cloud.enable_host(conn, host) is True
    assert cloud.enable_host(conn, host) is False
    service = records.services()[host]
    assert (service["status"], service["disabled_reason"]) == ("enabled", None)


def test_unknown_host_and_member_rules(conn, member_conn):
    with pytest.raises(cloud.CloudError) as info:
        cloud.disable_host(conn, "nosuchhost", "maintenance")
    assert info.value.code == "not_found"
    with pytest.raises(cloud.CloudError) as info:
        cloud.list_compute_hosts(member_conn)
    assert info.value.code == "forbidden"
    with pytest.raises(cloud.CloudError) as info:
        cloud.list_servers(member_conn, host="compute1")
    assert info.value.code == "forbidden"


# --- servers, groups, snapshot ---------------------------------------------------------------

def test_servers_groups_and_snapshot(testbed, conn, records, workload):
    (first, second), group_id = booted(workload, 2, group=True)
    hosts = {records.host_of(first), records.host_of(second)}
    assert len(hosts) == 2  # anti-affinity at boot
    on_host = cloud.list_servers(conn, host=records.host_of(first))
    assert first in [s["id"] for s in on_host] and second not in [s["id"] for s in on_host]
    view = cloud.get_server(conn, first)
    assert (view["status"], view["vcpus"], view["ram_mb"], view["flavor"]) == (
        "ACTIVE", 1, 1024, "m1.small")
    group = next(g for g in cloud.list_server_groups(conn) if g["group_id"] == group_id)
    assert (group["policy"], sorted(group["members"])) == ("anti-affinity",
                                                           sorted([first, second]))
    snap = cloud.snapshot(conn)
    assert {i["id"]: i["group_id"] for i in snap["instances"]
            if i["id"] in (first, second)} == {first: group_id, second: group_id}
    assert sorted(h["name"] for h in snap["hosts"]) == sorted(testbed.hosts)
    with pytest.raises(cloud.CloudError) as info:
        cloud.get_server(conn, "00000000-0000-4000-8000-000000000000")
    assert info.value.code == "not_found"


def test_member_boots_and_deletes_its_server(testbed, member_conn, conn):
    flavor = member_conn.compute.find_flavor("m1.tiny").id
    server = cloud.create_server(member_conn, "own", flavor, "00000000-0000-4000-8000-00000000cafe",
                                 networks="none", poll=0.5)
    assert server["status"] == "ACTIVE" and server["host"] is None  # hidden from a member
    assert cloud.delete_server(member_conn, server["id"]) is True
    outcome = cloud.wait_server_gone_or_moved(conn, server["id"], "compute1", **FAST)
    assert outcome == {"server": server["id"], "outcome": "deleted", "host": None}
    # Nova shows the server as DELETED for a moment, and takes a delete then too.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and member_conn.compute.find_server(server["id"]):
        time.sleep(0.5)
    assert cloud.delete_server(member_conn, server["id"]) is False


# --- migrations ------------------------------------------------------------------------------

def test_live_migrate_to_a_target_as_nova_records_it(testbed, conn, records, workload):
    (server,) = booted(workload, 1)
    source = records.host_of(server)
    target = other_host(testbed, source)
    result = cloud.live_migrate(conn, server, target_host=target, source_host=source, **FAST)
    assert {k: result[k] for k in ("server", "source", "dest", "type", "changed")} == {
        "server": server, "source": source, "dest": target, "type": "live", "changed": True}
    (migration,) = records.migrations(server)
    assert migration["id"] == result["migration_id"]
    assert (migration["migration_type"], migration["status"], migration["source_compute"],
            migration["dest_compute"]) == ("live-migration", "completed", source, target)
    actions = [a["action"] for a in records.actions(server)]
    assert actions == ["create", "live-migration"]
    assert records.host_of(server) == target

    again = cloud.live_migrate(conn, server, source_host=source, **FAST)
    assert (again["changed"], again["migration_id"]) == (False, None)
    assert len(records.migrations(server)) == 1


def test_unknown_target_host_is_a_bad_request(conn, workload):
    (server,) = booted(workload, 1)
    for move in (cloud.live_migrate, cloud.cold_migrate):
        with pytest.raises(cloud.CloudError) as info:
            move(conn, server, target_host="nosuchhost", **FAST)
        assert info.value.code == "bad_request"
        assert "could not be found" in info.value.message


def test_the_maintenance_api_is_in_the_catalog(testbed, conn):
    # With its version, as Fenix's clients expect: they append /instance/<id>.
    assert conn.endpoint_for("maintenance") == f"http://127.0.0.1:{testbed.maintenance_port}/v1"


# --- alarms (Aodh 23) ------------------------------------------------------------------------

def test_event_alarms_on_real_aodh(testbed, conn, member_conn):
    project_id = member_conn.current_project_id
    alarm = cloud.create_event_alarm(member_conn, "vnfm-a", EVENT, "http://127.0.0.1:9/a")
    try:
        assert (alarm["project_id"], alarm["repeat_actions"]) == (project_id, True)
        again = cloud.create_event_alarm(member_conn, "vnfm-a", EVENT, "http://127.0.0.1:9/a")
        assert again["alarm_id"] == alarm["alarm_id"]
        subscribed = cloud.subscribed_projects(conn, EVENT)
        assert [a["alarm_id"] for a in subscribed[project_id]] == [alarm["alarm_id"]]
        assert project_id not in cloud.subscribed_projects(conn, "compute.instance.update")
        with pytest.raises(cloud.CloudError) as info:
            cloud.subscribed_projects(member_conn, EVENT)
        assert info.value.code == "forbidden"
    finally:
        assert cloud.delete_alarm(member_conn, alarm["alarm_id"]) is True
    assert cloud.delete_alarm(member_conn, alarm["alarm_id"]) is False
