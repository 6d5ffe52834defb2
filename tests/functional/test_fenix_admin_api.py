"""Doctor's admin flow on Fenix's admin API, against the real Mistral and the simulated cloud.

As OPNFV Doctor's maintenance scenario does: find the API (here in the
Keystone catalog, service type `maintenance`, the way Doctor's VNFM looks it
up with keystoneclient), POST a `default` session with its body, poll
`GET /v1/maintenance/{id}` until it ends, then DELETE it. The sample VNFM
answers as Doctor's sample app manager does. The verdict comes from the
simulator's event log.
"""

import datetime
import time

import openstack
from keystoneclient.v3 import client as keystone_client

from conftest import http_call, wait_for_execution
from rolling_maintenance.demo import scenarios, session

ENDED = ("MAINTENANCE_DONE", "MAINTENANCE_FAILED", "MAINTENANCE_CANCELLED")


def catalog_url(run):
    """The API's public URL, found as Doctor's VNFM finds it."""
    admin = openstack.connect(load_yaml_config=False, load_envvars=False,
                              **run.env.sim.admin_credentials())
    keystone = keystone_client.Client(session=admin.session, interface="public")
    [service] = [s for s in keystone.services.list() if s.type == "maintenance"]
    [public] = [e for e in keystone.endpoints.list(service=service.id) if e.interface == "public"]
    return public.url


def doctor_body(run, seconds_ahead=2, **extra):
    """Doctor's POST body: every hypervisor, MAINTENANCE, a start in its time format."""
    start = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_ahead)
    return dict({"hosts": [h["name"] for h in run.inventory["hosts"]], "state": "MAINTENANCE",
                 "maintenance_at": start.strftime("%Y-%m-%d %H:%M:%S"),
                 "metadata": {"openstack_version": "Rocky"}, "workflow": "default"}, **extra)


def poll_state(url, session_id, until, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = http_call("GET", "%s/v1/maintenance/%s" % (url, session_id))
        assert status == 200 and body["session_id"] == session_id, body
        if body["state"] in until:
            return body
        time.sleep(1)
    raise AssertionError("session %s still %s" % (session_id, body["state"]))


def test_doctors_admin_flow_drives_a_default_session_to_the_end(tmp_path):
    with session.SessionRun(scenarios.doctor(), speed=50, workdir=str(tmp_path)) as run:
        url = run.env.mistral.reply_api_url
        assert catalog_url(run) == url + "/v1", "listed with its version, as Fenix's clients expect"
        status, body = http_call("POST", url + "/v1/maintenance",
                                 doctor_body(run, project_maintenance_reply=30,
                                             project_scale_in_reply=30))
        assert status == 200, body
        session_id = body["session_id"]
        assert http_call("GET", url + "/v1/maintenance")[1]["sessions"] == [session_id]
        ended = poll_state(url, session_id, ENDED)
        assert ended["state"] == "MAINTENANCE_DONE", ended

        status, detail = http_call("GET", "%s/v1/maintenance/%s/detail" % (url, session_id))
        assert status == 200
        assert {h["hostname"]: h["state"] for h in detail["hosts"]} == {
            h["name"]: "MAINTAINED" for h in run.inventory["hosts"]}
        assert [p["project_id"] for p in detail["projects"]] == ["doctor"]
        assert detail["projects"][0]["state"] == "ACK_MAINTENANCE_COMPLETE"
        assert {i["instance_id"] for i in detail["instances"]} == {
            s["id"] for s in run.initial_state["servers"]}
        assert any(i["state"] == "MOVED" for i in detail["instances"])
        assert http_call("DELETE", "%s/v1/maintenance/%s" % (url, session_id)) == (200, {})

        execution = run.client.executions.get(session_id)
        assert execution.workflow_name == "maintenance.rolling" and execution.state == "SUCCESS"
        verdict = run.verdict(session_id)
        assert verdict["state"] == "MAINTENANCE_DONE", verdict["reason"]
        assert verdict["judged"]["problems"] == []
        assert verdict["hosts_maintained"] == len(run.inventory["hosts"])
        assert verdict["downtime_s"] == 0, verdict["downtime_by_project"]
        vnfm = run.vnfms["doctor"]
        assert vnfm.errors == []
        assert vnfm.replies and all(r["status"] == 200 for r in vnfm.replies), vnfm.replies
        assert {r["metadata"].get("openstack_version") for r in vnfm.received
                if r["state"] == "PLANNED_MAINTENANCE"} == {"Rocky"}


def test_delete_cancels_a_waiting_session_and_changes_no_host(tmp_path):
    options = {"doctor": {"behaviour": "silent"}}
    with session.SessionRun(scenarios.doctor(), speed=50, workdir=str(tmp_path),
                            vnfm_options=options) as run:
        url = run.env.mistral.reply_api_url
        status, body = http_call("POST", url + "/v1/maintenance",
                                 doctor_body(run, project_maintenance_reply=120))
        assert status == 200, body
        session_id = body["session_id"]
        deadline = time.monotonic() + 60
        while not run.vnfms["doctor"].received and time.monotonic() < deadline:
            time.sleep(0.3)
        assert run.vnfms["doctor"].received, "the session never asked the project"
        status, body = http_call("DELETE", "%s/v1/maintenance/%s" % (url, session_id))
        assert status == 200 and body["session_id"] == session_id
        assert wait_for_execution(run.env, body["cancel_execution_id"]).state == "SUCCESS"
        assert poll_state(url, session_id, ENDED)["state"] == "MAINTENANCE_CANCELLED"
        state = run.env.sim.state()
        assert [h["name"] for h in state["hosts"] if h["status"] == "disabled"] == []
        assert state["migrations"] == []
