"""The public clients of Fenix, ported (`fenix_clients`), on the real Mistral and the
simulated cloud, unchanged: Tacker and Doctor's VNFM on the `vnf` workflow,
Doctor's admin flow with Doctor's sample app manager on `default`. Each
session ends MAINTENANCE_DONE with zero downtime and every reply answered
200, judged from the simulator's event log."""

import datetime
import time
import uuid

from conftest import http_call
from fenix_clients import DoctorSampleAppManager, DoctorVnfm, TackerVnfm, service_gaps
from rolling_maintenance import audit, session_control, status
from rolling_maintenance.audit import events as audit_events
from rolling_maintenance.demo import scenarios, session

REPLIES = {"project_maintenance_reply": 30, "project_scale_in_reply": 30}
ASKED_PER_INSTANCE = ("PREPARE_MAINTENANCE", "PLANNED_MAINTENANCE")


def run_without_sample():
    return session.SessionRun(scenarios.doctor(), speed=50, vnfm_options={"doctor": None})


def assert_done_without_problems(run, session_id):
    verdict = run.verdict(session_id)
    assert verdict["state"] == "MAINTENANCE_DONE", verdict["reason"]
    assert verdict["judged"]["problems"] == []
    assert verdict["hosts_maintained"] == 3
    return verdict


def assert_every_reply_200_at_once(manager):
    assert manager.errors == []
    assert manager.replies, "no reply was sent"
    assert [(r["state"], r["status"], r["attempts"]) for r in manager.replies
            if r["status"] != 200 or r["attempts"] != 1] == []


def assert_asked_per_instance(manager):
    asked = [p for p in manager.received if p["state"] in ASKED_PER_INSTANCE]
    assert asked, "no instance was asked about"
    assert all(isinstance(p["instance_ids"], list) and len(p["instance_ids"]) == 1 for p in asked)
    done = [p["instance_ids"] for p in manager.received if p["state"] == "INSTANCE_ACTION_DONE"]
    assert sorted(d[0] for d in done) == sorted(p["instance_ids"][0] for p in asked)


def downtime(run, role_log):
    return audit.downtime(run.initial_state, run.env.sim.events(), role_log, run.env.sim.clock.now())


def test_tacker_on_the_vnf_workflow_with_maintenance_scheduled(tmp_path):
    with run_without_sample() as run:
        tacker = TackerVnfm(run.env.sim, "doctor", config={
            "migration_type": "MIGRATE", "max_impacted_members": 1, "recovery_time": 1}).start()
        try:
            tacker.register_constraints(str(uuid.uuid4()))
            session_id = run.create(dict(REPLIES, workflow="vnf"))
            run.wait(session_id)
            assert_done_without_problems(run, session_id)
            for thread in tacker.threads:
                thread.join(30)
        finally:
            tacker.stop()
        assert tacker.invalid == [], "Tacker refused a notification it could not parse"
        assert_every_reply_200_at_once(tacker)
        assert_asked_per_instance(tacker)
        assert "ACK_INSTANCE_ACTION_DONE" in {r["state"] for r in tacker.replies}
        events = run.env.sim.events()
        end_t = run.env.sim.clock.now()
        members = {s["id"]: (0.0, end_t) for s in run.initial_state["servers"]}
        for t, server_id in tacker.deleted:
            members[server_id] = (members[server_id][0], t)
        for t, server_id in tacker.created:
            members[server_id] = (t, end_t)
        assert service_gaps(run.initial_state, events, members, end_t, at_most_impacted=1) == []
        assert any(e["type"] == audit_events.MIGRATION_CONFIRMED for e in events), "cold moves"


def test_doctor_vnfm_on_the_vnf_workflow(tmp_path):
    with run_without_sample() as run:
        vnfm = DoctorVnfm(run.env.sim, "doctor", run.env.sim.admin_credentials()).start()
        try:
            assert vnfm.endpoint == run.env.mistral.reply_api_url + "/v1"
            session_id = run.create(dict(REPLIES, workflow="vnf"))
            run.wait(session_id)
            assert_done_without_problems(run, session_id)
        finally:
            vnfm.stop()
        assert_every_reply_200_at_once(vnfm)
        assert_asked_per_instance(vnfm)
        assert len(vnfm.role_log) > 1, "the active instance was switched over"
        detail = status.session_detail(run.client, session_id)
        moved = {i["instance_id"] for i in detail["instances"] if i["state"] == "MOVED"}
        assert moved == {p["instance_ids"][0] for p in vnfm.received
                         if p["state"] in ASKED_PER_INSTANCE}
        assert detail["migrations"] == len(moved)
        assert downtime(run, vnfm.role_log) == 0


def test_doctors_admin_flow_with_doctors_sample_app_manager(tmp_path):
    with run_without_sample() as run:
        manager = DoctorSampleAppManager(run.env.sim, "doctor").start()
        url = run.env.mistral.reply_api_url + "/v1/maintenance"
        start = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=3)
        try:
            status, body = http_call("POST", url, dict(REPLIES, **{
                "hosts": [h["name"] for h in run.inventory["hosts"]], "state": "MAINTENANCE",
                "maintenance_at": start.strftime("%Y-%m-%d %H:%M:%S"),
                "metadata": {"openstack_version": "Rocky"}, "workflow": "default"}))
            assert status == 200, body
            session_id = body["session_id"]
            state, deadline = None, time.monotonic() + 300
            while state not in ("MAINTENANCE_DONE", "MAINTENANCE_FAILED") \
                    and time.monotonic() < deadline:
                time.sleep(1)
                status, body = http_call("GET", "%s/%s" % (url, session_id))
                assert status == 200, body
                state = body["state"]
            assert state == "MAINTENANCE_DONE", body
            assert http_call("DELETE", "%s/%s" % (url, session_id))[0] == 200
        finally:
            manager.stop()
        assert_done_without_problems(run, session_id)
        assert_every_reply_200_at_once(manager)
        states = [p["state"] for p in manager.received]
        assert "SCALE_IN" in states and states[-1] == "MAINTENANCE_COMPLETE"
        assert downtime(run, manager.role_log) == 0


def test_tacker_nack_fails_the_vnf_session_and_continue_asks_only_what_is_left(tmp_path):
    with run_without_sample() as run:
        tacker = TackerVnfm(run.env.sim, "doctor", config={
            "migration_type": "MIGRATE", "max_impacted_members": 1, "recovery_time": 1})
        tacker.refuse_after = 2  # the VNF leaves ACTIVE after two instances were asked
        tacker.start()
        try:
            tacker.register_constraints(str(uuid.uuid4()))
            session_id = run.create(dict(REPLIES, workflow="vnf"))
            run.wait(session_id)
            verdict = run.verdict(session_id)
            assert verdict["state"] == "MAINTENANCE_FAILED"
            assert "NACK_" in verdict["reason"] and "doctor" in verdict["reason"], verdict["reason"]
            asked_before = [p["instance_ids"][0] for p in tacker.received
                            if p["state"] in ASKED_PER_INSTANCE]
            tacker.refuse_after = None
            tacker.status = "ACTIVE"
            session_control.continue_session(run.client, session_id)
            run.wait(session_id)
            assert_done_without_problems(run, session_id)
        finally:
            tacker.stop()
        asked = [p["instance_ids"][0] for p in tacker.received if p["state"] in ASKED_PER_INSTANCE]
        refused, again = asked_before[2:], asked[len(asked_before):]
        assert refused and again[:len(refused)] == refused, \
            "continue asks about the refused instances, not those moved before: %s" % asked
