"""The VNFM's own client of the public APIs, against the simulated cloud."""

import pytest

from vnfm_support import OTHER_PROJECT, PROJECT, VM
from rolling_maintenance.vnfm.tenant_cloud import TenantCloud, TenantCloudError


def tenant(sim, project_id=PROJECT, **changes):
    return TenantCloud.from_credentials(**dict(sim.project_credentials(project_id), **changes))


def test_a_project_sees_its_own_servers_and_pair_only(sim):
    cloud = tenant(sim)
    assert cloud.project_id == PROJECT
    assert {s["id"] for s in cloud.own_servers()} == {VM[n] for n in ("vm-a", "vm-b", "vm-x", "vm-y")}
    [group] = cloud.anti_affinity_groups()
    assert set(group["member_ids"]) == {VM["vm-a"], VM["vm-b"]}
    assert [s["id"] for s in tenant(sim, OTHER_PROJECT).own_servers()] == [VM["vm-o"]]
    assert tenant(sim, OTHER_PROJECT).anti_affinity_groups() == []


def test_the_subscription_is_kept_when_unchanged_and_replaced_when_it_pointed_elsewhere(sim):
    cloud = tenant(sim)
    first = cloud.subscribe("vnf-maintenance", "maintenance.planned", "http://127.0.0.1:9/a")
    assert first["repeat_actions"] is True
    same = cloud.subscribe("vnf-maintenance", "maintenance.planned", "http://127.0.0.1:9/a")
    assert same["alarm_id"] == first["alarm_id"]
    moved = cloud.subscribe("vnf-maintenance", "maintenance.planned", "http://127.0.0.1:9/b")
    assert moved["alarm_id"] != first["alarm_id"] and moved["alarm_actions"] == ["http://127.0.0.1:9/b"]
    assert cloud.unsubscribe(moved["alarm_id"]) is True
    assert cloud.unsubscribe(moved["alarm_id"]) is False
    assert cloud.unsubscribe(first["alarm_id"]) is False


def test_boot_into_the_pair_then_delete(sim):
    cloud = tenant(sim)
    [group] = cloud.anti_affinity_groups()
    flavor = cloud.flavor_id(cloud.own_servers()[0]["flavor"])
    assert cloud.flavor_id(flavor) == flavor
    image = cloud.own_servers()[0]["image"]
    assert image
    server_id = cloud.boot("vnf-third", flavor, image, group_id=group["id"], timeout=30, poll=0.01)
    assert server_id in {s["id"] for s in cloud.own_servers()}
    assert server_id in cloud.anti_affinity_groups()[0]["member_ids"]
    cloud.delete_and_wait(server_id, timeout=30, poll=0.01)
    assert server_id not in {s["id"] for s in cloud.own_servers()}
    cloud.delete_and_wait(server_id, timeout=30, poll=0.01)


@pytest.mark.parametrize("call, code", [
    (lambda cloud: cloud.flavor_id("no-such-flavor"), "not_found"),
    (lambda cloud: cloud.boot("x", "no-such-flavor", None), "bad_request"),
])
def test_refusals_come_back_with_a_code(sim, call, code):
    with pytest.raises(TenantCloudError) as caught:
        call(tenant(sim))
    assert caught.value.code == code


def test_wrong_credentials_are_unauthorized(sim):
    with pytest.raises(TenantCloudError) as caught:
        tenant(sim, password="wrong").token()
    assert caught.value.code == "unauthorized"
