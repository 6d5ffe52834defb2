"""`continue` goes on from what is done: no host maintained twice, no host
plug-in run again where it succeeded, no instance moved off a maintained
host; a host plug-in runs only after the one before it succeeded; a host
whose nova-compute does not come back fails the session. Judged from the
simulator's event log."""

import time

from rolling_maintenance import session_control
from rolling_maintenance.audit import events as ev
from rolling_maintenance.demo import scenarios, session

from test_rolling import assert_done, assert_failed_cleanly, session_input

SPEED = 80


def small_cloud():
    return scenarios.two_sizes(hosts=4, seed=1, extras_per_project=2)


def wait_for_events(run, wanted, count, timeout=120):
    """Until `count` events of the simulator match `wanted(event)`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(1 for e in run.env.sim.events() if wanted(e)) >= count:
            return
        time.sleep(0.05)
    raise AssertionError("fewer than %d matching events after %s s" % (count, timeout))


def continue_to_done(run, session_id):
    session_control.continue_session(run.client, session_id)
    run.wait(session_id)
    verdict = run.verdict(session_id)
    assert_done(run, session_id, verdict)
    return verdict


def test_continue_after_a_failed_decide_redoes_no_host(tmp_path):
    with session.SessionRun(small_cloud(), speed=SPEED, workdir=str(tmp_path)) as run:
        session_id = run.create(session_input())
        # While the second host upgrades, arm one failure of the next
        # capacity read: the `decide` after that host.
        wait_for_events(run, lambda e: e["type"] == ev.HOST_WORK_STARTED and e["label"] == "upgrade", 2)
        run.env.sim.inject_fault({"type": "api_error", "path": "/os-hypervisors", "count": 1})
        run.wait(session_id)
        verdict = run.verdict(session_id)
        assert_failed_cleanly(run, session_id, verdict, "decide")
        maintained = {h for h, n in verdict["judged"]["maintained_count"].items() if n}
        assert len(maintained) == 2

        assert session_control.failed_task(run.client, session_id).name == "decide"
        verdict = continue_to_done(run, session_id)
        assert verdict["hosts_maintained"] == 4
        assert verdict["judged"]["moves_off_maintained_hosts"] == 0


HOST_PLUGINS_3 = [*session.HOST_PLUGINS,
                  {"plugin": "maintenance_samples.sim_host_work", "type": "host",
                   "metadata": {"label": "verify", "duration_s": 10}}]


def test_a_failed_host_plugin_stops_its_host_and_continue_reruns_only_it(tmp_path):
    with session.SessionRun(small_cloud(), speed=SPEED, workdir=str(tmp_path)) as run:
        run.env.sim.inject_fault({"type": "host_work_error", "host": "compute-2", "label": "upgrade"})
        session_id = run.create(session_input(actions=HOST_PLUGINS_3))
        run.wait(session_id)
        verdict = run.verdict(session_id)
        assert_failed_cleanly(run, session_id, verdict, "maintenance_samples.sim_host_upgrade",
                              "compute-2")
        assert verdict["judged"]["host_work"].get("compute-2") == ["firmware"]

        session_control.continue_session(run.client, session_id)
        run.wait(session_id)
        verdict = run.verdict(session_id)
        assert verdict["state"] == "MAINTENANCE_DONE", verdict["reason"]
        assert verdict["judged"]["problems"] == []
        labels = [p["metadata"]["label"] for p in HOST_PLUGINS_3]
        assert verdict["judged"]["host_work"] == {h: labels for h in verdict["judged"]["maintained_count"]}


def test_a_host_that_does_not_come_back_fails_the_session_naming_it(tmp_path):
    with session.SessionRun(small_cloud(), speed=SPEED, workdir=str(tmp_path)) as run:
        run.env.sim.inject_fault({"type": "host_no_return", "host": "compute-1"})
        session_id = run.create(session_input(host_return_timeout=2))
        run.wait(session_id)
        verdict = run.verdict(session_id)
        assert verdict["state"] == "MAINTENANCE_FAILED"
        assert "compute-1" in verdict["reason"] and "not up" in verdict["reason"], verdict["reason"]
        down = [e for e in run.env.sim.events() if e["type"] == ev.SERVICE_DOWN]
        assert [e["host"] for e in down] == ["compute-1"]

        run.env.sim.clear_faults("compute-1")
        verdict = continue_to_done(run, session_id)
        assert verdict["hosts_maintained"] == 4
