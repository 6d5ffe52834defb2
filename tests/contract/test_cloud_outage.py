"""A cloud API outage: ridden through while it lasts less than the bound, without
repeating a change; beyond the bound it is `unavailable`, naming service, call and status."""

import re
import threading
import time

import pytest
import requests
from openstack import exceptions as sdk_exc

from contract_support import VM_WEB, events_of, inject_fault
from rolling_maintenance import cloud

BOUND_ENV = "ROLLING_MAINTENANCE_CLOUD_RETRY_S"


def connected(sim, monkeypatch, bound_s):
    """A fresh connection retrying for `bound_s`, logged in before any outage."""
    monkeypatch.setenv(BOUND_ENV, str(bound_s))
    conn = cloud.connect(**sim.admin_credentials())
    assert len(cloud.list_compute_hosts(conn)) == 3
    return conn


def outage_ending_after(sim_url, clock, real_s):
    """A 30 s outage of every API that ends `real_s` real seconds from now."""
    inject_fault(sim_url, type="api_unavailable", seconds=30)
    timer = threading.Timer(real_s, clock.advance, (31,))
    timer.start()
    return timer


def test_without_retries_an_outage_is_unavailable_then_recovers(sim, sim_url, manual_clock,
                                                                 monkeypatch):
    conn = connected(sim, monkeypatch, 0)
    inject_fault(sim_url, type="api_unavailable", seconds=30)
    for call in (lambda: cloud.list_compute_hosts(conn),
                 lambda: cloud.list_servers(conn, host="compute-0"),
                 lambda: cloud.subscribed_projects(conn, "maintenance.planned")):
        with pytest.raises(cloud.CloudError) as info:
            call()
        assert info.value.code == "unavailable"
        assert info.value.details["status"] == 503
    manual_clock.advance(31)
    assert len(cloud.list_compute_hosts(conn)) == 3


def test_an_outage_shorter_than_the_bound_is_ridden_through(sim, sim_url, manual_clock,
                                                            monkeypatch):
    conn = connected(sim, monkeypatch, 30)
    outage_ending_after(sim_url, manual_clock, 1.5).join()
    outage_ending_after(sim_url, manual_clock, 1.5)
    started = time.monotonic()
    assert len(cloud.list_compute_hosts(conn)) == 3
    assert 1.5 <= time.monotonic() - started < 10
    outage_ending_after(sim_url, manual_clock, 1.0)
    assert cloud.subscribed_projects(conn, "maintenance.planned") is not None  # Aodh too


def test_an_outage_longer_than_the_bound_names_service_call_status_and_time(
        sim, sim_url, monkeypatch):
    conn = connected(sim, monkeypatch, 2)
    inject_fault(sim_url, type="api_unavailable", seconds=1e5)
    started = time.monotonic()
    with pytest.raises(cloud.CloudError) as info:
        cloud.list_compute_hosts(conn)
    assert 2 <= time.monotonic() - started < 5
    assert info.value.code == "unavailable"
    assert re.match(r"nova: GET /compute/v2\.1/os-[a-z/-]+ answered 503 for 2 s: ",
                    info.value.message), info.value.message


def test_a_change_made_during_an_outage_is_made_once(sim, sim_url, manual_clock, monkeypatch,
                                                    step_clock):
    conn = connected(sim, monkeypatch, 30)
    outage_ending_after(sim_url, manual_clock, 1.0)
    assert cloud.disable_host(conn, "compute-2", "maintenance s-1") is True
    assert cloud.disable_host(conn, "compute-2", "maintenance s-1") is False
    assert len(events_of(sim, "service.disabled")) == 1

    timer = outage_ending_after(sim_url, manual_clock, 1.0)
    cloud.enable_host(conn, "compute-2")
    timer.join()
    timer = outage_ending_after(sim_url, manual_clock, 1.0)
    result = cloud.live_migrate(conn, VM_WEB, target_host="compute-2", clock=step_clock,
                                timeout=120, poll=0.5)
    timer.join()
    assert result["dest"] == "compute-2"
    assert [e["server"] for e in events_of(sim, "migration.started")] == [VM_WEB]


def gateway_answer(status):
    response = requests.Response()
    response.status_code = status
    response.request = requests.Request("POST", "http://gw/compute/v2.1/servers/x/action").prepare()
    return sdk_exc.HttpException(response=response, details="gateway gave up")


@pytest.mark.parametrize("carried_out", [True, False])
def test_a_migration_whose_answer_was_lost_behind_a_gateway_is_looked_for_before_resent(
        sim, conn, monkeypatch, step_clock, carried_out):
    real = conn.compute.live_migrate_server
    sent = []

    def through_a_gateway(*args, **kwargs):
        sent.append(args)
        if len(sent) == 1:
            if carried_out:
                real(*args, **kwargs)
            raise gateway_answer(504 if carried_out else 502)
        return real(*args, **kwargs)
    monkeypatch.setattr(conn.compute, "live_migrate_server", through_a_gateway)
    result = cloud.live_migrate(conn, VM_WEB, target_host="compute-2", clock=step_clock,
                                timeout=120, poll=0.5)
    assert result["dest"] == "compute-2"
    assert len(sent) == (1 if carried_out else 2)
    assert [e["server"] for e in events_of(sim, "migration.started")] == [VM_WEB]
