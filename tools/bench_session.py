"""Benchmark a parallel session on the embedded Mistral and the simulator.

Runs one `maintenance.rolling` session (every host, `max_parallel_hosts`
null: as many at once as the constraints allow) on the generated cloud of
the demo, one sample VNFM per project, and prints one JSON line: the
outcome judged from the simulator's event log, the wall time, the actions
Mistral failed for a missing heartbeat, and per round (from one `decide`
to the next) its wall time, the time the cloud worked or a group recovered,
and the rest, the orchestration.

    tools/dev python tools/bench_session.py --hosts 100 --speed 500
"""

import argparse
import json
import sys
import time

from rolling_maintenance.audit import busy
from rolling_maintenance.demo import scenarios, session
from rolling_maintenance.workflow import contract

FINAL = ("SUCCESS", "ERROR", "CANCELLED")


def follow(run, session_id, timeout, poll=0.25):
    """Wait for the end; the simulator's clock when each `decide` began, and
    the tasks over the hosts each round ran."""
    clock, seen, marks, kinds = run.env.sim.clock, set(), [], []
    deadline = time.monotonic() + timeout
    while True:
        for task in run.client.tasks.list(workflow_execution_id=session_id):
            if task.id in seen:
                continue
            if task.name == contract.DECIDE_TASK:
                seen.add(task.id)
                marks.append(clock.now())
                kinds.append([])
            elif task.name in contract.PER_HOST_TASKS and kinds:
                seen.add(task.id)
                kinds[-1].append(task.name)
        execution = run.client.executions.get(session_id)
        if execution.state in FINAL or time.monotonic() > deadline:
            marks.append(clock.now())
            return execution, marks, kinds
        time.sleep(poll)


def heartbeat_failures(client):
    return sum(1 for a in client.action_executions.list(limit=-1, fields=["state", "state_info"])
               if a.state == "ERROR" and "Heartbeat" in (a.state_info or ""))


def round_figures(events, marks, speed, recovery_s):
    spans = busy.work_intervals(events, recovery_s, end_t=marks[-1])
    figures = []
    for start, end in zip(marks, marks[1:], strict=False):
        work = busy.covered(spans, start, end)
        figures.append({"wall_s": round((end - start) / speed, 2), "work_s": round(work / speed, 2),
                        "orchestration_s": round((end - start - work) / speed, 2)})
    return figures


def bench(hosts, speed, seed, recovery_time, timeout):
    inventory = scenarios.two_sizes(hosts=hosts, seed=seed)
    options = {p["id"]: {"recovery_time": recovery_time} for p in inventory["projects"]}
    session_input = {"actions": session.HOST_PLUGINS, "max_parallel_hosts": None,
                     "project_maintenance_reply": 120, "project_scale_in_reply": 120,
                     "metadata": {"openstack_version": "2026.2"}}
    with session.SessionRun(inventory, speed=speed, vnfm_options=options) as run:
        started = time.monotonic()
        session_id = run.create(session_input)
        execution, marks, kinds = follow(run, session_id, timeout)
        wall = time.monotonic() - started
        verdict = run.verdict(session_id)
        grouped = {i["id"] for i in inventory["instances"] if i.get("group_id")}
        rounds = round_figures(run.env.sim.events(), marks, speed,
                               {s: recovery_time * speed for s in grouped})
        for figures, tasks in zip(rounds, kinds, strict=False):
            figures["tasks"] = tasks
        return {
            "hosts": hosts, "instances": len(inventory["instances"]), "speed": speed,
            "recovery_time": recovery_time, "state": verdict["state"],
            "execution_state": execution.state, "reason": verdict["reason"],
            "hosts_maintained": verdict["hosts_maintained"], "migrations": verdict["migrations"],
            "problems": verdict["judged"]["problems"], "downtime_s": verdict["downtime_s"],
            "heartbeat_failures": heartbeat_failures(run.client), "wall_s": round(wall, 1),
            "rounds": rounds,
            "orchestration_s_per_round": round(
                sum(r["orchestration_s"] for r in rounds) / max(1, len(rounds)), 2),
        }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--speed", type=float, default=500.0, help="simulated seconds per real second")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--recovery-time", type=int, default=10,
                        help="seconds each pair group needs after a member moved (default 10,"
                             " the sample VNFM's)")
    parser.add_argument("--timeout", type=float, default=1800, help="give up after this many seconds")
    args = parser.parse_args(argv)
    result = bench(args.hosts, args.speed, args.seed, args.recovery_time, args.timeout)
    print(json.dumps(result))
    return 0 if result["state"] == "MAINTENANCE_DONE" and not result["problems"] else 1


if __name__ == "__main__":
    sys.exit(main())
