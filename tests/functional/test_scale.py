"""Parallel sessions end: no action holds an executor worker while it waits
(for another host's move, a group's recovery, a migration), so every action
gets its heartbeat. Judged from the simulator's event log and from Mistral's
own records of the actions."""

from rolling_maintenance.demo import scenarios, session

# Simulated seconds per real second: the cloud's work takes almost no time,
# what is left is the orchestration and the waits the projects ask for.
SPEED = 500
RECOVERY_S = 2
HOSTS = 24


def starved_actions(client):
    return [a.name for a in client.action_executions.list(limit=-1, fields=["name", "state", "state_info"])
            if a.state == "ERROR" and "eartbeat" in (a.state_info or "")]


def run_parallel(tmp_path, inventory):
    quick = {p["id"]: {"recovery_time": RECOVERY_S} for p in inventory["projects"]}
    with session.SessionRun(inventory, speed=SPEED, workdir=str(tmp_path), vnfm_options=quick) as run:
        session_id = run.create({"max_parallel_hosts": None, "project_maintenance_reply": 60,
                                 "project_scale_in_reply": 60})
        run.wait(session_id, timeout=150)
        verdict = run.verdict(session_id)
        assert verdict["state"] == "MAINTENANCE_DONE", verdict["reason"]
        assert starved_actions(run.client) == []
        judged = verdict["judged"]
        assert judged["problems"] == [] and judged["failed_migrations"] == 0
        assert verdict["hosts_maintained"] == len(inventory["hosts"]) and verdict["downtime_s"] == 0
        assert max(judged["most_members_impacted_at_once"].values()) == 1
        return judged


def waiting_host_first():
    """Six hosts, four empty. The pair's act is on the heavier compute-0, its
    stdby on compute-1: both are emptied in one round, the lighter host
    first, and stdby's move comes after act's. An action that waited for
    act kept the worker that act's move was to run on."""
    hosts = [{"name": "compute-%d" % i, "vcpus": 16, "ram_mb": 32768} for i in range(6)]
    group = {"group_id": "tenant-a-pair", "project_id": "tenant-a", "name": "tenant-a-pair",
             "policy": "anti-affinity"}
    instances = [
        {"id": "act", "name": "act", "host": "compute-0", "group_id": group["group_id"]},
        {"id": "stdby", "name": "stdby", "host": "compute-1", "group_id": group["group_id"]},
        {"id": "vm0", "name": "vm0", "host": "compute-0"},
        {"id": "vm1", "name": "vm1", "host": "compute-0"},
    ]
    for instance in instances:
        instance.update(project_id="tenant-a", vcpus=2, ram_mb=2048)
    inventory = scenarios.doctor()
    return dict(inventory, hosts=hosts, groups=[group], instances=instances,
                projects=[{"id": "tenant-a", "name": "tenant-a"}])


def test_a_move_waiting_for_a_host_later_in_its_round_starves_no_action(tmp_path):
    judged = run_parallel(tmp_path, waiting_host_first())
    assert judged["moved_after_a_member_left_the_round"] >= 1, judged


def test_a_parallel_session_on_many_hosts_ends_and_no_action_starves(tmp_path):
    judged = run_parallel(tmp_path, scenarios.two_sizes(hosts=HOSTS, seed=3))
    assert judged["most_hosts_in_maintenance_at_once"] > HOSTS // 4, judged
    assert judged["moved_after_a_member_left_the_round"] >= 1, judged
