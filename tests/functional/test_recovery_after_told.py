"""A group's recovery time counts from when the project was told its member
moved, not from when another host saw the move done: the real Mistral, the
simulated cloud, a sample VNFM per project.

Each of three projects has an ACT-STDBY pair (`max_impacted_members` 1,
`recovery_time` 3 s) with one member on each of two hosts of its own; the
six hosts are emptied at once, so each pair's second member comes `after`
the first, which another host moves and tells its project about at its own
next look. Judged from the simulator's event log (when each migration
started), what the VNFMs received (when each project was told) and the
moves as Mistral handed them to each host's workflow.
"""

import json

from rolling_maintenance.audit import events as ev
from rolling_maintenance.demo import session

SPEED = 10
RECOVERY_S = 3
PAIRS = 3
SCOPE = ["compute-%d" % i for i in range(2 * PAIRS)]
SPARE = ["compute-%d" % i for i in range(2 * PAIRS, 2 * PAIRS + 3)]
PROJECTS = ["tenant-%d" % pair for pair in range(PAIRS)]
# A notification is posted on a thread of its own once the step noted the
# tell: the VNFM may note it a moment after.
DELIVERY_S = 0.2
EMPTY_HOST = "maintenance._empty_host"


def pairs_apart():
    """Each project's pair with its members on two hosts of their own, three spare hosts."""
    hosts = [{"name": name, "vcpus": 16, "ram_mb": 32768} for name in SCOPE + SPARE]
    groups, instances = [], []
    for pair, project in enumerate(PROJECTS):
        group_id = "%s-pair" % project
        groups.append({"group_id": group_id, "project_id": project, "name": group_id,
                       "policy": "anti-affinity"})
        for member in range(2):
            instances.append({"id": "%s-%d" % (group_id, member), "name": "%s-%d" % (group_id, member),
                              "project_id": project, "host": SCOPE[2 * pair + member],
                              "vcpus": 2, "ram_mb": 2048, "group_id": group_id})
    timing = {"live_migration_s_per_gib": 4, "host_maintenance_s": 10}
    return {"hosts": hosts, "projects": [{"id": p, "name": p} for p in PROJECTS], "groups": groups,
            "instances": instances, "timing": timing}


def moves_handed_to_hosts(run, session_id):
    """Every move as Mistral handed it to a host's `_empty_host` workflow."""
    runs = run.client.executions.list(root_execution_id=session_id, workflow_name=EMPTY_HOST, limit=-1)
    moves = []
    for one in runs:
        handed = one.input if isinstance(one.input, dict) else json.loads(one.input)
        moves += handed["moves"]
    return moves


def test_a_member_moves_only_the_recovery_time_after_its_partners_project_was_told(tmp_path):
    plugin = {"plugin": "maintenance_samples.sim_host_work", "type": "host",
              "metadata": {"label": "upgrade", "duration_s": 10}}
    with session.SessionRun(pairs_apart(), speed=SPEED, workdir=str(tmp_path),
                            vnfm_options={p: {"recovery_time": RECOVERY_S} for p in PROJECTS}) as run:
        session_id = run.create({"hosts": SCOPE, "max_parallel_hosts": len(SCOPE), "actions": [plugin],
                                 "project_maintenance_reply": 30})
        run.wait(session_id, timeout=120)
        verdict = run.verdict(session_id, hosts=SCOPE)
        events = run.env.sim.events()
        handed = moves_handed_to_hosts(run, session_id)
        told = {}
        for vnfm in run.vnfms.values():
            for done in vnfm.actions_done:
                told.setdefault(done["instance_id"], done["t"])
    assert verdict["state"] == "MAINTENANCE_DONE", verdict["reason"]
    assert verdict["judged"]["problems"] == [] and verdict["downtime_s"] == 0, verdict["downtime_by_project"]

    started = {}
    for event in events:
        if event["type"] == ev.MIGRATION_STARTED:
            started.setdefault(event["server"], event["t"])
    waiting = [m for m in handed if m.get("after")]
    assert len(waiting) == PAIRS, handed
    early = {}
    for move in waiting:
        (partner,) = move["after"]
        assert move["recovery_s"] == RECOVERY_S, move
        earliest = told[partner] + (move["recovery_s"] - DELIVERY_S) * SPEED
        if started[move["instance"]] < earliest:
            early[move["instance"]] = {"started": started[move["instance"]], "partner_told": told[partner]}
    assert early == {}, early
