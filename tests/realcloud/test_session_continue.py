"""A move Nova's scheduler refuses fails the session cleanly; `rolling-maintenance
continue` finishes it once the operator has made room.

The planner counts vCPUs and memory; Placement also counts disk. Every host
holds one server whose disk takes more than half of the host's, so the move
the planner sends is refused (NoValidHost in the conductor) however often it
is tried. The verdict comes from Nova's records and the Inspector.
"""

import json
import os
import subprocess
import sys

from realcloud_support import run_to_end, wait_to_end

ROLLING = "maintenance.rolling"
# The fake driver gives each host 500 GB of disk: one of these per host.
DISK_HEAVY = {"name": "disk.heavy", "vcpus": 1, "ram": 512, "disk": 300}
CLI = os.path.join(os.path.dirname(sys.executable), "rolling-maintenance")


def test_a_refused_move_fails_the_session_then_continue_finishes_it(
        testbed, mistral, workload, records, inspector):
    admin = workload.conn("admin")
    if not admin.compute.find_flavor(DISK_HEAVY["name"]):
        admin.compute.create_flavor(**DISK_HEAVY)
    ids = [workload.boot("tenant-b", f"heavy-{i}", flavor=DISK_HEAVY["name"])
           for i in range(len(testbed.hosts))]
    workload.wait_active(ids)
    hosts = {s: records.host_of(s) for s in ids}
    assert sorted(hosts.values()) == sorted(testbed.hosts)
    (leaving, host), *others = sorted(hosts.items(), key=lambda item: item[1])

    execution = run_to_end(mistral, ROLLING, {"hosts": [host], "unsubscribed": "migrate",
                                              "migration_timeout": 15})
    assert execution.state == "ERROR"
    reason = json.loads(execution.output or "{}").get("reason") or execution.state_info
    assert "No valid host" in reason, reason
    refused = records.migrations(leaving)
    assert refused and {m["status"] for m in refused} == {"error"}
    failed = [e for a in records.actions(leaving) if a["action"] == "live-migration"
              for e in a["events"]]
    assert failed and all(e["event"].startswith("conductor_") and e["result"] == "Error"
                          for e in failed), failed
    assert records.host_of(leaving) == host
    assert records.services()[host]["disabled_reason"] == f"maintenance {execution.id}"
    assert inspector.host_states(execution.id) == {}

    blocking = [admin.compute.get_server(server_id) for server_id, _ in others]
    for server in blocking:  # the operator makes room
        admin.compute.delete_server(server)
    for server in blocking:
        admin.compute.wait_for_delete(server, wait=60)
    answer = subprocess.run([CLI, "continue", execution.id, "--mistral-url", mistral.url],
                            capture_output=True, text=True, timeout=60)
    assert answer.returncode == 0, answer.stderr
    execution = wait_to_end(mistral, execution.id)
    assert execution.state == "SUCCESS", execution.state_info
    assert json.loads(execution.output)["state"] == "MAINTENANCE_DONE"
    moved = [m for m in records.migrations(leaving) if m["status"] == "completed"]
    assert [m["source_compute"] for m in moved] == [host]
    assert records.host_of(leaving) != host
    assert inspector.host_states(execution.id) == {host: ["IN_MAINTENANCE", "MAINTENANCE_COMPLETE"]}
    assert {s["status"] for s in records.services().values()} == {"enabled"}
