"""A parallel session on many hosts ends: no action holds an executor worker
while it waits, so every action gets its heartbeat. Judged from the
simulator's event log and from Mistral's own records of the actions."""

from rolling_maintenance.demo import scenarios, session

HOSTS = 24
# Simulated seconds per real second: the cloud's work takes almost no time,
# what is left is the orchestration and the waits the projects ask for.
SPEED = 500
RECOVERY_S = 2


def starved_actions(client):
    return [a.name for a in client.action_executions.list(limit=-1, fields=["name", "state", "state_info"])
            if a.state == "ERROR" and "eartbeat" in (a.state_info or "")]


def test_a_parallel_session_on_many_hosts_ends_and_no_action_starves(tmp_path):
    inventory = scenarios.two_sizes(hosts=HOSTS, seed=3)
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
        assert verdict["hosts_maintained"] == HOSTS and verdict["downtime_s"] == 0
        assert judged["most_hosts_in_maintenance_at_once"] > HOSTS // 4, judged
        # Moves waited for other hosts' moves (their `after`) within a round.
        assert judged["moved_after_a_member_left_the_round"] >= 1, judged
        assert max(judged["most_members_impacted_at_once"].values()) == 1
