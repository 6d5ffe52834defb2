"""The webhook driver reads real subscriptions from the simulator's Aodh, as an admin would."""

import os

import openstack
import pytest
from aodhclient import client as aodh_client

from notify_receiver import Receiver
from rolling_maintenance import cloud
from rolling_maintenance import notify
from rolling_maintenance.notify import webhook
from rolling_maintenance.sim import ManualClock, Simulator

INVENTORY = {
    "hosts": [{"name": "compute-0", "vcpus": 8, "ram_mb": 16384}],
    "projects": [{"id": "p1", "name": "vnf-one"}, {"id": "p2", "name": "vnf-two"}],
    "instances": [{"id": "vm-1", "project_id": "p1", "host": "compute-0", "vcpus": 1,
                   "ram_mb": 512}],
}
API = "http://127.0.0.1:12347"


@pytest.fixture
def sim(tmp_path, monkeypatch):
    simulator = Simulator.from_inventory(INVENTORY, clock=ManualClock())
    simulator.start()
    for name in list(os.environ):
        if name.startswith(("OS_", "ROLLING_MAINTENANCE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", simulator.clouds_yaml(str(tmp_path / "c.yaml")))
    monkeypatch.setenv("OS_CLOUD", "sim-admin")
    cloud.clear_cache()
    yield simulator
    cloud.clear_cache()
    simulator.stop()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.stop()


def aodh_as(sim, project_id):
    """aodhclient with the project member's own Keystone session, as a VNFM has."""
    session = openstack.connect(load_yaml_config=False, load_envvars=False,
                                **sim.project_credentials(project_id)).session
    return aodh_client.Client("2", session=session, interface="public", region_name="RegionOne")


def event_alarm(name, event_type, url, **extra):
    body = {"name": name, "type": "event", "repeat_actions": True,
            "event_rule": {"event_type": event_type, "query": []}, "alarm_actions": [url]}
    body.update(extra)
    return body


def test_project_event_reaches_the_projects_own_alarm_through_aodh(sim, receiver):
    mine = aodh_as(sim, "p1").alarm.create(
        event_alarm("vnfm-p1", "maintenance.scheduled", receiver.url + "/p1"))
    aodh_as(sim, "p2").alarm.create(
        event_alarm("vnfm-p2", "maintenance.scheduled", receiver.url + "/p2"))
    aodh_as(sim, "p1").alarm.create(
        event_alarm("off", "maintenance.scheduled", receiver.url + "/off", enabled=False))

    result = notify.send_project_event("s-1", "p1", "SCALE_IN", api_url=API,
                                       reply_at="2026-11-22T10:05:00Z")
    assert webhook.POSTMAN.wait_idle(5)
    assert [p["path"] for p in receiver.posts] == ["/p1"]
    body = receiver.posts[0]["body"]
    assert body["alarm_id"] == mine["alarm_id"] and body["alarm_name"] == "vnfm-p1"
    assert body["current"] == "alarm"
    traits = {n: v for n, _, v in body["reason_data"]["event"]["traits"]}
    assert traits["state"] == "SCALE_IN" and traits["project_id"] == "p1"
    assert traits["reply_url"] == API + "/v1/maintenance/s-1/p1"
    assert result["queued"][0]["alarm_id"] == mine["alarm_id"]


def test_host_event_reaches_every_subscribed_project(sim, receiver):
    aodh_as(sim, "p1").alarm.create(event_alarm("h1", "maintenance.host", receiver.url + "/h1"))
    aodh_as(sim, "p2").alarm.create(event_alarm("h2", "maintenance.*", receiver.url + "/h2"))
    aodh_as(sim, "p2").alarm.create(
        event_alarm("vnfm", "maintenance.scheduled", receiver.url + "/planned"))
    result = notify.send_host_event("compute-0", "IN_MAINTENANCE", "s-1", "admin")
    assert webhook.POSTMAN.wait_idle(5)
    assert sorted(p["path"] for p in receiver.posts) == ["/h1", "/h2"]
    assert {d["project_id"] for d in result["queued"]} == {"p1", "p2"}
