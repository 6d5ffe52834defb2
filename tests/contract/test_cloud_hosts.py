"""Compute hosts: listing with capacity, and idempotent disable/enable by service id."""

import pytest
from openstack import exceptions as sdk_exc

from contract_support import events_of
from rolling_maintenance import cloud
from rolling_maintenance.cloud import hosts


def test_list_compute_hosts_with_capacity(conn, recorder):
    listed = cloud.list_compute_hosts(conn)
    assert [h["name"] for h in listed] == ["compute-0", "compute-1", "compute-2"]
    first = listed[0]
    assert first["enabled"] is True and first["state"] == "up"
    assert first["disabled_reason"] is None
    assert (first["vcpus"], first["ram_mb"]) == (16, 32768)
    # From Placement: its usages, Nova's default ratios and reserved memory.
    assert (first["vcpus_used"], first["ram_mb_used"]) == (3, 3072)
    assert (listed[2]["vcpus_used"], listed[2]["ram_mb_used"]) == (0, 0)
    assert {(h["cpu_allocation_ratio"], h["ram_allocation_ratio"], h["reserved_vcpus"],
             h["reserved_host_memory_mb"], h["capacity_source"]) for h in listed} == {
        (4.0, 1.0, 0, 512, "placement")}
    assert len({h["service_id"] for h in listed}) == 3

    services = recorder.one("GET", "/os-services")
    assert services.query == [] and services.microversion == "compute 2.69"
    hypervisors = recorder.one("GET", "/os-hypervisors/detail")
    assert hypervisors.query == []
    assert hypervisors.microversion == "compute " + hosts.CAPACITY_MICROVERSION


def test_capacity_from_hypervisors_where_placement_is_unreachable(conn, monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise sdk_exc.EndpointNotFound("public endpoint for placement service not found")

    monkeypatch.setattr(type(conn.placement), "resource_providers", unreachable)
    first = cloud.list_compute_hosts(conn)[0]
    # os-hypervisors counts the reserved memory as used, and knows no ratios.
    assert (first["vcpus"], first["ram_mb"], first["vcpus_used"], first["ram_mb_used"]) == (
        16, 32768, 3, 3072 + 512)
    assert (first["cpu_allocation_ratio"], first["reserved_host_memory_mb"],
            first["capacity_source"]) == (1.0, 0, "hypervisors")
    assert "Placement is unreachable" in caplog.text


def test_sdk_default_hypervisor_microversion_has_no_capacity(conn, recorder):
    """The reason for the pinned microversion: at 2.88 the SDK gets no vcpus."""
    found = list(conn.compute.hypervisors(details=True))
    assert recorder.one("GET", "/os-hypervisors/detail").microversion == "compute 2.88"
    assert found and all(h.vcpus is None and h.memory_size is None for h in found)


def test_other_services_are_not_compute_hosts(conn):
    binaries = {s.binary for s in conn.compute.services()}
    assert "nova-compute" in binaries and len(binaries) > 1
    assert all(h["name"].startswith("compute-") for h in cloud.list_compute_hosts(conn))


def test_disable_host_sends_status_and_reason_once(sim, conn, recorder):
    service_id = hosts.find_compute_service(conn, "compute-0").id
    recorder.clear()

    assert cloud.disable_host(conn, "compute-0", "maintenance") is True
    update = recorder.one("PUT", f"/os-services/{service_id}")
    assert update.json == {"status": "disabled", "disabled_reason": "maintenance"}
    assert update.microversion == "compute 2.69"
    assert [e["host"] for e in events_of(sim, "service.disabled")] == ["compute-0"]

    recorder.clear()
    assert cloud.disable_host(conn, "compute-0", "maintenance") is False
    assert recorder.writes() == []
    assert len(events_of(sim, "service.disabled")) == 1

    listed = {h["name"]: h for h in cloud.list_compute_hosts(conn)}
    assert listed["compute-0"]["enabled"] is False
    assert listed["compute-0"]["disabled_reason"] == "maintenance"


def test_disable_with_another_reason_updates_both_fields(conn, recorder):
    cloud.disable_host(conn, "compute-1", "first")
    recorder.clear()
    assert cloud.disable_host(conn, "compute-1", "second") is True
    assert recorder.writes()[0].json == {"status": "disabled", "disabled_reason": "second"}
    assert cloud.list_compute_hosts(conn)[1]["disabled_reason"] == "second"


def test_sdk_disable_service_is_not_idempotent(conn, recorder):
    """Why we update by id with both fields: on a disabled service the SDK sends only
    what changed, the reason alone, and Nova answers 400."""
    conn.compute.disable_service(None, host="compute-2", binary="nova-compute",
                                 disabled_reason="maintenance")
    recorder.clear()
    with pytest.raises(sdk_exc.BadRequestException):
        conn.compute.disable_service(None, host="compute-2", binary="nova-compute",
                                     disabled_reason="maint")
    assert recorder.writes()[0].json == {"disabled_reason": "maint"}


def test_enable_host_is_idempotent(sim, conn, recorder):
    cloud.disable_host(conn, "compute-2", "maintenance")
    service_id = hosts.find_compute_service(conn, "compute-2").id
    recorder.clear()
    assert cloud.enable_host(conn, "compute-2") is True
    assert recorder.one("PUT", f"/os-services/{service_id}").json == {"status": "enabled"}
    assert [e["host"] for e in events_of(sim, "service.enabled")] == ["compute-2"]
    recorder.clear()
    assert cloud.enable_host(conn, "compute-2") is False
    assert recorder.writes() == []
    assert len(events_of(sim, "service.enabled")) == 1


def test_unknown_or_bad_host(conn):
    with pytest.raises(cloud.CloudError) as info:
        cloud.disable_host(conn, "compute-9", "maintenance")
    assert info.value.code == "not_found" and info.value.details == {"host": "compute-9"}
    with pytest.raises(cloud.CloudError) as info:
        cloud.enable_host(conn, "controller")
    assert info.value.code == "not_found"
    with pytest.raises(cloud.CloudError) as info:
        cloud.disable_host(conn, "compute-0", "")
    assert info.value.code == "bad_request" and "reason" in info.value.message
    with pytest.raises(cloud.CloudError) as info:
        cloud.enable_host(conn, None)
    assert info.value.code == "bad_request"


def test_member_cannot_list_hosts(member_conn):
    with pytest.raises(cloud.CloudError) as info:
        cloud.list_compute_hosts(member_conn)
    assert info.value.code == "forbidden"


def test_a_host_whose_nova_compute_did_not_come_back_is_not_up(conn, sim):
    assert hosts.compute_service_up(conn, "compute-1") is True
    sim.inject_fault({"type": "host_no_return", "host": "compute-1"})
    assert hosts.compute_service_up(conn, "compute-1") is True
    with sim.model.lock:  # the host's maintenance work (its reboot) starts
        sim.model.start_host_work("compute-1", "upgrade", 0)
    assert hosts.compute_service_up(conn, "compute-1") is False
    assert hosts.compute_service_up(conn, "compute-0") is True
    sim.clear_faults("compute-1")
    assert hosts.compute_service_up(conn, "compute-1") is True
