"""A Nova outage in the middle of a session: ridden through when shorter than the bound,
a failure naming service, call and status when longer. The real Mistral, the simulated
cloud and its sample VNFMs; judged from the simulator's event log."""

import time

from rolling_maintenance.audit import events as audit_events
from rolling_maintenance.demo import scenarios, session

SPEED = 40
SESSION = {"actions": session.HOST_PLUGINS, "project_maintenance_reply": 60,
           "project_scale_in_reply": 60}


def wait_for_event(run, kind, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [e for e in run.env.sim.events() if e["type"] == kind]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError("no %s event within %d s" % (kind, timeout))


def nova_outage(run, real_s):
    """Nova answers 503 for `real_s` real seconds from now."""
    return run.env.sim.inject_fault({"type": "api_unavailable", "service": "compute",
                                     "seconds": real_s * SPEED})


def test_a_20_s_nova_outage_mid_session_is_ridden_through(tmp_path):
    inventory = scenarios.two_sizes(hosts=4, seed=1, extras_per_project=1)
    with session.SessionRun(inventory, speed=SPEED, workdir=str(tmp_path)) as run:
        session_id = run.create(SESSION)
        wait_for_event(run, audit_events.HOST_WORK_STARTED)
        armed = nova_outage(run, 20)
        run.wait(session_id, timeout=300)
        verdict = run.verdict(session_id)
        assert verdict["state"] == "MAINTENANCE_DONE", verdict["reason"]
        judged = verdict["judged"]
        assert judged["problems"] == [] and judged["still_disabled"] == []
        assert set(judged["maintained_count"].values()) == {1}
        # The outage was in the middle: the session called Nova after it ended.
        events = run.env.sim.events()
        assert any(e["t"] > armed["until"] and e["type"] == audit_events.HOST_WORK_STARTED
                   for e in events), "no host was maintained after the outage"


def test_an_outage_longer_than_the_bound_fails_naming_service_call_and_status(
        tmp_path, monkeypatch):
    monkeypatch.setenv("ROLLING_MAINTENANCE_CLOUD_RETRY_S", "4")
    inventory = scenarios.two_sizes(hosts=4, seed=1, extras_per_project=1)
    with session.SessionRun(inventory, speed=SPEED, workdir=str(tmp_path)) as run:
        # The host under maintenance is looked at again until host_return_timeout:
        # a short one, so the session gives up on the outage soon.
        session_id = run.create(dict(SESSION, host_return_timeout=20))
        wait_for_event(run, audit_events.HOST_WORK_STARTED)
        nova_outage(run, 3600)
        final = run.wait(session_id, timeout=300)
        verdict = run.verdict(session_id)
        assert final.state == "ERROR" and verdict["state"] == "MAINTENANCE_FAILED"
        assert "nova: " in verdict["reason"] and " answered 503 for 4 s" in verdict["reason"], \
            verdict["reason"]
