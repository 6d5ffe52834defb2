"""Servers: listing rules, views, boot and delete."""

import pytest
from openstack import exceptions as sdk_exceptions
from simcloud import make_cloud, sid, small_inventory

from rolling_maintenance.sim.inventory import stable_id
from rolling_maintenance.sim.model.servers import DEFAULT_NETWORK


def names(servers):
    return sorted(s.name for s in servers)


def test_compute_host_filter_works_and_host_returns_nothing(cloud):
    conn = cloud.admin
    assert names(conn.compute.servers(all_projects=True, compute_host="compute-0")) == ["vm1", "vm3"]
    assert list(conn.compute.servers(all_projects=True, host="compute-0")) == []


def test_admin_sees_all_projects_only_with_all_tenants(cloud):
    assert names(cloud.admin.compute.servers(all_projects=True)) == ["vm1", "vm2", "vm3", "vm4"]
    assert names(cloud.admin.compute.servers()) == []
    assert names(cloud.admin.compute.servers(all_projects=True, project_id="p2")) == ["vm4"]


def test_member_sees_own_servers_without_host_attributes(cloud):
    member = cloud.member("p1")
    servers = list(member.compute.servers(compute_host="compute-1"))
    assert names(servers) == ["vm1", "vm2", "vm3"]
    assert all(s.compute_host is None for s in servers)
    raw = member.compute.get("/servers/%s" % sid("vm1"), microversion="2.96").json()["server"]
    assert not [key for key in raw if key.startswith("OS-EXT-SRV-ATTR")]


def test_member_gets_404_for_another_projects_server_and_403_for_all_tenants(cloud):
    member = cloud.member("p2")
    with pytest.raises(sdk_exceptions.NotFoundException):
        member.compute.get_server(sid("vm1"))
    with pytest.raises(sdk_exceptions.ForbiddenException, match="get_all_tenants"):
        list(member.compute.servers(all_projects=True))


def test_admin_server_view_at_latest_microversion(cloud):
    server = cloud.admin.compute.get_server(sid("vm3"))
    assert (server.status, server.compute_host, server.hypervisor_hostname) == ("ACTIVE", "compute-0", "compute-0")
    assert (server.vm_state, server.task_state, server.power_state) == ("active", None, 1)
    assert server.flavor.vcpus == 2 and server.flavor.ram == 4096
    assert server.flavor.original_name == "m1.v2r4096"
    assert server.project_id == "p1"
    assert server.server_groups == []
    assert cloud.admin.compute.get_server(sid("vm1")).server_groups == [stable_id("group", "g1")]
    assert server.created_at == "2024-01-01T00:00:00Z"


def test_name_and_status_filters(cloud):
    assert names(cloud.admin.compute.servers(all_projects=True, name="vm[12]")) == ["vm1", "vm2"]
    assert names(cloud.admin.compute.servers(all_projects=True, status="ERROR")) == []


def test_pagination_follows_next_links():
    inventory = small_inventory()
    inventory["hosts"].append({"name": "big", "vcpus": 64, "ram_mb": 65536})
    inventory["instances"] += [{"id": "extra%d" % i, "project_id": "p2", "host": "big", "vcpus": 1,
                                "ram_mb": 512} for i in range(7)]
    cloud = make_cloud(inventory)
    try:
        first = cloud.admin.compute.get("/servers/detail?all_tenants=1&limit=4", microversion="2.96").json()
        assert len(first["servers"]) == 4 and first["servers_links"][0]["rel"] == "next"
        assert len(list(cloud.admin.compute.servers(all_projects=True, limit=3))) == 11
    finally:
        cloud.sim.stop()


def test_boot_is_build_then_active_after_boot_time(cloud):
    member = cloud.member("p2")
    server = member.compute.create_server(name="new", flavor_id="m1.small", image_id="cirros",
                                          networks="none")
    assert member.compute.get_server(server.id).status == "BUILD"
    cloud.advance(2.9)
    assert member.compute.get_server(server.id).status == "BUILD"
    cloud.advance(0.2)
    booted = member.compute.get_server(server.id)
    assert booted.status == "ACTIVE" and booted.addresses == {}
    events = [e for e in cloud.sim.events() if e["type"].startswith("server.")]
    assert [(e["type"], e["t"]) for e in events] == [("server.created", 0.0), ("server.active", 3.0)]
    assert events[0]["host"] == cloud.sim.model.servers[server.id].host
    assert [a.action for a in member.compute.server_actions(server)] == ["create"]


def test_boot_on_the_named_network_or_the_one_network_auto_takes(cloud):
    member = cloud.member("p2")
    named = member.compute.create_server(name="named", flavor_id="m1.tiny", image_id="cirros",
                                         networks=[{"uuid": DEFAULT_NETWORK}])
    auto = member.compute.create_server(name="auto", flavor_id="m1.tiny", image_id="cirros",
                                        networks="auto")
    cloud.advance(3.1)
    for server in (named, auto):
        booted = member.compute.get_server(server.id)
        assert booted.status == "ACTIVE" and list(booted.addresses) == ["private"]


def test_boot_into_anti_affinity_group_avoids_member_hosts(cloud):
    member = cloud.member("p1")
    server = member.compute.create_server(name="third", flavor_id="m1.tiny", image_id="cirros",
                                          networks="auto", scheduler_hints={"group": stable_id("group", "g1")})
    assert cloud.sim.model.servers[server.id].host == "compute-2"
    group = member.compute.get_server_group(stable_id("group", "g1"))
    assert server.id in group.member_ids


def test_no_valid_host_puts_the_server_in_error(cloud):
    member = cloud.member("p2")
    server = member.compute.create_server(name="huge", flavor_id="m1.large", image_id="cirros",
                                          networks="none")
    failed = member.compute.get_server(server.id)
    assert failed.status == "ERROR"
    assert failed.fault["message"].startswith("No valid host was found")
    with pytest.raises(sdk_exceptions.ResourceFailure):
        member.compute.wait_for_server(failed, status="ACTIVE", interval=0.01, wait=1)
    assert [e["type"] for e in cloud.sim.events()] == ["server.created", "server.error"]


def test_delete_frees_capacity_and_group_membership(cloud):
    cloud.member("p1").compute.delete_server(sid("vm1"))
    assert sid("vm1") not in cloud.sim.model.servers
    assert cloud.usage()["compute-0"] == [2, 4096, 1]
    assert cloud.sim.model.groups[stable_id("group", "g1")].members == [sid("vm2")]
    assert cloud.sim.events()[-1]["type"] == "server.deleted"


def test_member_cannot_delete_another_projects_server(cloud):
    with pytest.raises(sdk_exceptions.NotFoundException):
        cloud.member("p2").compute.delete_server(sid("vm1"), ignore_missing=False)
    assert sid("vm1") in cloud.sim.model.servers


@pytest.mark.parametrize("body, message", [
    ({"server": {"flavorRef": "m1.tiny", "networks": "none"}}, "name"),
    ({"server": {"name": "x", "flavorRef": "m1.nope", "imageRef": "cirros", "networks": "none"}},
     "Flavor m1.nope could not be found."),
    ({"server": {"name": "x", "flavorRef": "m1.tiny", "imageRef": "cirros"}},
     "'networks' is a required property"),
    ({"server": {"name": "x", "flavorRef": "m1.tiny", "imageRef": "cirros", "networks": "none"},
      "os:scheduler_hints": {"group": "missing"}}, "Instance group missing could not be found."),
    ({"server": {"name": "x", "flavorRef": "m1.tiny", "imageRef": "", "networks": "none"}},
     "Missing imageRef attribute"),
    ({"server": {"name": "x", "flavorRef": "m1.tiny", "networks": "none"}},
     "Missing imageRef attribute"),
    ({"server": {"name": "x", "flavorRef": "m1.tiny", "imageRef": "cirros",
                 "networks": [{"uuid": "00000000-0000-4000-8000-00000000dead"}]}},
     "Network 00000000-0000-4000-8000-00000000dead could not be found."),
    ({"server": {"name": "x", "flavorRef": "m1.tiny", "imageRef": "cirros",
                 "networks": [{"port": "p-1"}]}}, "Port id p-1 could not be found."),
    ({"server": "x"}, "must have an object under 'server'"),
])
def test_bad_create_requests_are_400(cloud, body, message):
    answer = cloud.member("p1").compute.post("/servers", json=body, microversion="2.96")
    assert answer.status_code == 400
    assert message in answer.json()["badRequest"]["message"]


def test_server_groups_views_by_microversion(cloud):
    assert [g.name for g in cloud.admin.compute.server_groups()] == []
    [group] = list(cloud.admin.compute.server_groups(all_projects=True))
    assert (group.name, group.policy, group.rules, group.project_id) == ("pair", "anti-affinity", {}, "p1")
    old = cloud.admin.compute.get("/os-server-groups?all_projects=True", microversion="2.1").json()
    assert old["server_groups"][0]["policies"] == ["anti-affinity"]
    member = cloud.member("p2")
    made = member.compute.create_server_group(name="ha", policy="affinity")
    assert (made.policy, made.project_id) == ("affinity", "p2")
    assert [g.name for g in member.compute.server_groups()] == ["ha"]
    member.compute.delete_server_group(made)
    assert list(member.compute.server_groups()) == []
    with pytest.raises(sdk_exceptions.ForbiddenException):
        list(member.compute.server_groups(all_projects=True))


def test_flavors(cloud):
    flavors = {f.name: f for f in cloud.member("p1").compute.flavors()}
    assert {"m1.tiny", "m1.small", "m1.medium", "m1.large", "m1.v1r1024", "m1.v2r4096"} <= set(flavors)
    assert (flavors["m1.small"].vcpus, flavors["m1.small"].ram) == (1, 2048)
    assert cloud.admin.compute.get_flavor("m1.v1r2048").ram == 2048
