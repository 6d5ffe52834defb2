"""os-services and os-hypervisors through openstacksdk, as the adapters call them."""

import pytest
from openstack import exceptions as sdk_exceptions


def compute_service(conn, host):
    [service] = list(conn.compute.services(binary="nova-compute", host=host))
    return service


def test_services_list_has_uuid_ids_and_control_services(cloud):
    services = list(cloud.admin.compute.services())
    assert {(s.binary, s.host) for s in services} >= {
        ("nova-compute", "compute-0"), ("nova-conductor", "controller"), ("nova-scheduler", "controller")}
    compute = compute_service(cloud.admin, "compute-1")
    assert (compute.status, compute.state, compute.availability_zone) == ("enabled", "up", "nova")
    assert len(compute.id) == 36 and compute.is_forced_down is False


def test_disable_then_enable_by_id(cloud):
    service = compute_service(cloud.admin, "compute-0")
    disabled = cloud.admin.compute.disable_service(service, disabled_reason="maintenance")
    assert (disabled.status, disabled.disabled_reason) == ("disabled", "maintenance")
    assert cloud.sim.model.hosts["compute-0"].service.enabled is False
    enabled = cloud.admin.compute.enable_service(service)
    assert (enabled.status, enabled.disabled_reason) == ("enabled", None)
    kinds = [(e["type"], e["host"]) for e in cloud.sim.events()]
    assert kinds == [("service.disabled", "compute-0"), ("service.enabled", "compute-0")]


def test_second_disable_sends_only_the_reason_and_gets_novas_400(cloud):
    cloud.admin.compute.disable_service(compute_service(cloud.admin, "compute-0"), disabled_reason="m")
    with pytest.raises(sdk_exceptions.BadRequestException,
                       match="No updates were requested. Fields 'status' or 'forced_down' should be specified."):
        cloud.admin.compute.disable_service(None, host="compute-0", binary="nova-compute",
                                            disabled_reason="maint")


def test_update_by_id_with_both_fields_is_idempotent(cloud):
    service = compute_service(cloud.admin, "compute-2")
    path = "/os-services/%s" % service.id
    for _ in range(2):
        answer = cloud.admin.compute.put(path, json={"status": "disabled", "disabled_reason": "m"},
                                         microversion="2.53")
        assert answer.status_code == 200
        assert answer.json()["service"]["status"] == "disabled"
    assert [e["type"] for e in cloud.sim.events()] == ["service.disabled"]


@pytest.mark.parametrize("body, message", [
    ({"status": "enabled", "disabled_reason": "x"}, "Specifying 'disabled_reason' with status 'enabled' is invalid."),
    ({"status": "off"}, "is not one of"),
    ({"status": "disabled", "colour": "red"}, "Additional properties are not allowed ('colour' was unexpected)"),
    ({"forced_down": "yes"}, "is not of type 'boolean'"),
])
def test_bad_service_updates_are_400(cloud, body, message):
    service = compute_service(cloud.admin, "compute-2")
    answer = cloud.admin.compute.put("/os-services/%s" % service.id, json=body, microversion="2.53")
    assert answer.status_code == 400
    assert message in answer.json()["badRequest"]["message"]


def test_only_compute_services_can_be_updated(cloud):
    [conductor] = list(cloud.admin.compute.services(binary="nova-conductor"))
    answer = cloud.admin.compute.put("/os-services/%s" % conductor.id, json={"status": "disabled"},
                                     microversion="2.53")
    assert answer.status_code == 400


def test_forced_down_makes_the_service_down_and_back(cloud):
    service = compute_service(cloud.admin, "compute-1")
    cloud.admin.compute.update_service_forced_down(service, host="compute-1", forced=True)
    assert compute_service(cloud.admin, "compute-1").state == "down"
    cloud.admin.compute.update_service_forced_down(service, host="compute-1", forced=False)
    assert compute_service(cloud.admin, "compute-1").state == "up"
    assert [e["type"] for e in cloud.sim.events()] == ["service.down", "service.up"]


def test_services_are_admin_only(cloud):
    with pytest.raises(sdk_exceptions.ForbiddenException, match="os-services:list"):
        list(cloud.member("p1").compute.services())


def test_hypervisors_lose_capacity_fields_at_2_88(cloud):
    latest = {h.name: h for h in cloud.admin.compute.hypervisors(details=True)}
    assert set(latest) == {"compute-0", "compute-1", "compute-2"}
    assert latest["compute-0"].vcpus is None and latest["compute-0"].memory_size is None
    assert latest["compute-0"].service_details["host"] == "compute-0"
    answer = cloud.admin.compute.get("/os-hypervisors/detail", microversion="2.87")
    by_name = {h["hypervisor_hostname"]: h for h in answer.json()["hypervisors"]}
    assert (by_name["compute-0"]["vcpus"], by_name["compute-0"]["vcpus_used"]) == (4, 3)
    assert (by_name["compute-0"]["memory_mb"], by_name["compute-0"]["memory_mb_used"]) == (8192, 5120)
    assert by_name["compute-0"]["running_vms"] == 2
    answer_288 = cloud.admin.compute.get("/os-hypervisors/detail", microversion="2.88")
    assert "vcpus" not in answer_288.json()["hypervisors"][0]


def test_hypervisor_shows_disabled_service(cloud):
    cloud.admin.compute.disable_service(compute_service(cloud.admin, "compute-1"), disabled_reason="m")
    [hyp] = [h for h in cloud.admin.compute.hypervisors(details=True) if h.name == "compute-1"]
    assert (hyp.status, hyp.state, hyp.service_details["disabled_reason"]) == ("disabled", "up", "m")
    single = cloud.admin.compute.get("/os-hypervisors/%s" % hyp.id, microversion="2.53")
    assert single.json()["hypervisor"]["hypervisor_hostname"] == "compute-1"
