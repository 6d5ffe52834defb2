"""The dry run's predicted duration holds in a real run: a parallel session on
the embedded Mistral and the simulator against `rolling-maintenance plan
--json` for the same cloud, constraints and session input.

The simulator runs slowly enough (SPEED simulated seconds per real second)
that the cloud's work dominates; what the orchestration adds (Mistral's
turnarounds, the steps' looks at the cloud) is printed in real seconds.
"""

import json

import openstack

from rolling_maintenance import cli, cloud
from rolling_maintenance.audit import events as ev
from rolling_maintenance.demo import session
from rolling_maintenance.mistral.constraints import load_constraints
from rolling_maintenance.planner.model.constraints_merge import apply_constraints

SPEED = 2.5
# The planner's own migration rates (it reads no timing from a live cloud),
# and a host upgrade half as long as one instance's migration.
TIMING = {"live_migration_s_per_gib": 8, "cold_migration_s_per_gib": 4, "migration_min_s": 1,
          "boot_s": 10, "host_maintenance_s": 64}
SCOPE = ["compute-2", "compute-3"]
# What the sample VNFM needs after a member moved to take it back as active.
RECOVERY_S = 2
MAX_DEVIATION = 0.10


def pairs_on_two_hosts():
    """Four hosts; two ACT-STDBY pairs of 16 GiB instances on compute-2 and
    compute-3, each host holding one member of each. Maintaining those two
    at once moves every member to compute-0 or compute-1, each host's second
    move after the other host's first and the pair's recovery (a pair loses
    one member at a time)."""
    hosts = [{"name": "compute-%d" % i, "vcpus": 16, "ram_mb": 65536} for i in range(4)]
    groups, instances = [], []
    for project, act_host, stdby_host in (("tenant-a", "compute-2", "compute-3"),
                                          ("tenant-b", "compute-3", "compute-2")):
        group_id = "%s-pair" % project
        groups.append({"group_id": group_id, "project_id": project, "name": group_id,
                       "policy": "anti-affinity"})
        for role, host in (("act", act_host), ("stdby", stdby_host)):
            name = "%s-%s" % (project, role)
            instances.append({"id": name, "name": name, "project_id": project, "host": host,
                              "vcpus": 2, "ram_mb": 16384, "group_id": group_id})
    return {"hosts": hosts, "projects": [{"id": p, "name": p} for p in ("tenant-a", "tenant-b")],
            "groups": groups, "instances": instances, "timing": TIMING}


def inventory_as_planned(run):
    """The cloud as the session's `decide` reads it (Nova, plus the constraints
    the VNFMs registered), with the simulator's timing. The workflow waits a
    group's recovery time on the real clock, which the simulator's runs
    through SPEED times faster: the plan counts it on the simulator's."""
    conn = openstack.connect(load_yaml_config=False, load_envvars=False, **run.env.sim.admin_credentials())
    inventory = dict(apply_constraints(cloud.snapshot(conn), load_constraints(run.client)), timing=TIMING)
    for group in inventory["groups"]:
        assert group["recovery_time"] == RECOVERY_S, group
        group["recovery_time"] = RECOVERY_S * SPEED
    return inventory


def dry_run(tmp_path, capsys, inventory):
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(inventory))
    capsys.readouterr()
    code = cli.main(["plan", "--inventory", str(path), "--json", "--max-parallel-hosts", "2",
                     "--hosts", ",".join(SCOPE), "--bound-time-limit", "1"])
    assert code == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def last(events, kind):
    return max(e["t"] for e in events if e["type"] == kind and e["host"] in SCOPE)


def makespan(events):
    """As the plan counts it, on the simulator's clock: from the first
    migration or host work to the end of the last host's maintenance work."""
    start = min(e["t"] for e in events if e["type"] in (ev.MIGRATION_STARTED, ev.HOST_WORK_STARTED))
    return last(events, ev.HOST_WORK_FINISHED) - start


def test_a_parallel_session_lasts_what_the_dry_run_predicted(tmp_path, capsys):
    inventory = pairs_on_two_hosts()
    recovery = {p["id"]: {"recovery_time": RECOVERY_S} for p in inventory["projects"]}
    plugin = {"plugin": "maintenance_samples.sim_host_work", "type": "host",
              "metadata": {"label": "upgrade", "duration_s": TIMING["host_maintenance_s"]}}
    with session.SessionRun(inventory, speed=SPEED, workdir=str(tmp_path), vnfm_options=recovery) as run:
        plan = dry_run(tmp_path, capsys, inventory_as_planned(run))
        session_id = run.create({"hosts": SCOPE, "max_parallel_hosts": 2, "actions": [plugin],
                                 "project_maintenance_reply": 60})
        run.wait(session_id, timeout=300)
        verdict = run.verdict(session_id, hosts=SCOPE)
        events = run.env.sim.events()
    assert verdict["state"] == "MAINTENANCE_DONE", verdict["reason"]
    assert verdict["judged"]["problems"] == [] and verdict["downtime_s"] == 0
    assert verdict["judged"]["most_hosts_in_maintenance_at_once"] == 2
    planned = {(m["instance"], m["from"], m["to"]) for one in plan["rounds"] for m in one["moves"]}
    moved = {(e["server"], e["source"], e["dest"]) for e in events if e["type"] == ev.MIGRATION_STARTED}
    assert moved == planned
    predicted, measured = plan["predicted_duration_s"], makespan(events)
    given_back_s = last(events, ev.SERVICE_ENABLED) - last(events, ev.HOST_WORK_FINISHED)
    print("predicted %.1f s, measured %.1f s (x%.3f); orchestration %.1f real s over %d rounds, %d moves;"
          " %.1f real s more until the hosts are given back" % (
              predicted, measured, measured / predicted, (measured - predicted) / SPEED,
              len(plan["rounds"]), len(planned), given_back_s / SPEED))
    assert abs(measured / predicted - 1) <= MAX_DEVIATION, (predicted, measured)
