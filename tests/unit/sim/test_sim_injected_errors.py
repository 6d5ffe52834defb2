"""Faults for a plug-in that fails on a host and for one failing API call."""

import pytest
from openstack import exceptions as sdk_exceptions

from rolling_maintenance.audit import events as ev


def test_work_of_the_named_label_fails_to_start_on_the_host_only_once(cloud):
    armed = cloud.sim.inject_fault({"type": "host_work_error", "host": "compute-1", "label": "upgrade"})
    assert armed == {"fault": "host_work_error", "host": "compute-1", "label": "upgrade", "count": 1}
    assert cloud.http("POST", "/_sim/hosts/compute-1/work", json={"label": "firmware", "duration_s": 1}
                      ).status_code == 202
    cloud.advance(2)
    failed = cloud.http("POST", "/_sim/hosts/compute-1/work", json={"label": "upgrade", "duration_s": 1})
    assert failed.status_code == 500 and "upgrade on compute-1" in failed.text
    assert cloud.http("POST", "/_sim/hosts/compute-1/work", json={"label": "upgrade", "duration_s": 1}
                      ).status_code == 202
    started = [e["label"] for e in cloud.sim.events() if e["type"] == ev.HOST_WORK_STARTED]
    assert started == ["firmware", "upgrade"]


def test_an_api_error_answers_the_next_matching_requests_only(cloud):
    conn = cloud.admin
    list(conn.compute.hypervisors())  # signed in, the version negotiated
    cloud.http("POST", "/_sim/faults", json={"type": "api_error", "path": "/os-hypervisors", "count": 2})
    assert list(conn.compute.services())
    for _ in range(2):
        with pytest.raises(sdk_exceptions.HttpException) as raised:
            list(conn.compute.hypervisors())
        assert raised.value.status_code == 500
    assert list(conn.compute.hypervisors())
    assert cloud.http("GET", "/_sim/faults").json()["api_error"] == []


def test_bad_injected_errors_are_named(cloud):
    for body, field in (({"type": "api_error"}, "path"),
                        ({"type": "api_error", "path": "/x", "status": 200}, "status"),
                        ({"type": "host_work_error", "host": "compute-9"}, "host"),
                        ({"type": "host_work_error", "host": "compute-1", "label": ""}, "label")):
        answer = cloud.http("POST", "/_sim/faults", json=body)
        assert answer.status_code == 400 and field in answer.json()["error"]["message"], body
