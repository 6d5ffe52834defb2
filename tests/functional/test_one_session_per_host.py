"""One session per host: a session on a host another session holds is refused at
validation naming that session; sessions on disjoint hosts run side by side. Judged
from the simulator's event log."""

import time

from rolling_maintenance.demo import scenarios, session


def wait_for_task(client, execution_id, name, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(t.name == name and t.state == "SUCCESS"
               for t in client.tasks.list(workflow_execution_id=execution_id)):
            return
        time.sleep(0.2)
    raise AssertionError("task %s of %s did not succeed within %d s" % (name, execution_id, timeout))


def test_an_overlapping_session_is_refused_and_a_disjoint_one_runs_beside(tmp_path):
    inventory = scenarios.two_sizes(hosts=4, seed=1, extras_per_project=1)
    with session.SessionRun(inventory, speed=80, workdir=str(tmp_path)) as run:
        plugins = {"actions": session.HOST_PLUGINS, "project_maintenance_reply": 30,
                   "project_scale_in_reply": 30}
        first = run.create(dict(plugins, hosts=["compute-0", "compute-1"]))
        wait_for_task(run.client, first, "validate")
        overlapping = run.create(dict(plugins, hosts=["compute-1"]))
        everything = run.create(dict(plugins, hosts=[]))
        for refused in (overlapping, everything):
            final = run.wait(refused)
            assert final.state == "ERROR"
            assert "already in session %s (RUNNING)" % first in final.state_info, final.state_info
        # (A session being validated holds its hosts too: of two started together,
        # the older one wins.)
        beside = run.create(dict(plugins, hosts=["compute-2", "compute-3"]))
        assert "compute-1 already in session" in run.client.executions.get(overlapping).state_info
        for session_id in (first, beside):
            run.wait(session_id)
            verdict = run.verdict(session_id)
            assert verdict["state"] == "MAINTENANCE_DONE", verdict["reason"]
        judged = verdict["judged"]
        assert judged["violations"] == [] and judged["still_disabled"] == []
        assert judged["maintained_count"] == {"compute-%d" % i: 1 for i in range(4)}
        assert sorted(judged["host_work"]) == ["compute-%d" % i for i in range(4)]

        # Once both are done, their hosts are free again.
        again = run.create(dict(plugins, hosts=["compute-1"], actions=[]))
        assert run.wait(again).state == "SUCCESS"
