"""Sessions of the embedded Mistral against a real Nova 34 on its default configuration.

No VNFM here (`unsubscribed: migrate`): the project's instances are moved
unasked. The verdict comes from Nova's records: os-migrations replayed from
the servers' first hosts, os-services, server groups, server states.
"""

import json

from nova_verdict import placement, replay
from realcloud_support import run_to_end

ROLLING = "maintenance.rolling"


def test_maintain_one_host(testbed, mistral, workload, records):
    ids = [workload.boot(project, f"{project}-{i}") for project in ("tenant-a", "tenant-b")
           for i in range(3)]
    workload.wait_active(ids)
    before = placement(records, ids)
    host = max(testbed.hosts, key=lambda h: list(before.values()).count(h))
    leaving = sorted(s for s, h in before.items() if h == host)

    execution = run_to_end(mistral, "maintenance.maintain_one_host", {"host": host})
    assert execution.state == "SUCCESS", execution.state_info
    assert json.loads(execution.output)["host"] == host

    after = placement(records, ids)
    assert [s for s in ids if after[s] == host] == []
    for server in leaving:
        (migration,) = records.migrations(server)
        assert (migration["migration_type"], migration["status"],
                migration["source_compute"]) == ("live-migration", "completed", host)
    assert all(after[s] == before[s] for s in ids if s not in leaving)
    assert records.services()[host]["status"] == "enabled"
    assert {records.server(s)["status"] for s in ids} == {"ACTIVE"}


def test_rolling_session_on_nova_defaults(testbed, mistral, workload, records):
    """Every host in scope (those the servers are on) emptied and given back,
    anti-affinity kept at every step, on Nova's default scheduler settings (its view
    of a host lags a live migration)."""
    pair = workload.group("tenant-a", "pair")
    ids = ([workload.boot("tenant-a", f"pair-{i}", group_id=pair) for i in range(2)]
           + [workload.boot("tenant-a", "a-single", flavor="m1.medium"),
              workload.boot("tenant-b", "b-0"), workload.boot("tenant-b", "b-1")])
    workload.wait_active(ids)
    first = placement(records, ids)
    members = {pair: ids[:2]}
    since = records.server(ids[0])["created"]
    scope = sorted(set(first.values()))

    execution = run_to_end(mistral, ROLLING, {"hosts": scope, "unsubscribed": "migrate",
                                              "migration_timeout": 600})
    assert execution.state == "SUCCESS", execution.state_info
    assert json.loads(execution.output)["state"] == "MAINTENANCE_DONE"

    migrations = [m for m in records.migrations(since=since) if m["instance_uuid"] in first]
    steps = replay(first, migrations)
    where = steps[-1]
    assert where == placement(records, ids)
    emptied = {h for h in scope if any(h not in step.values() for step in steps)}
    assert emptied == set(scope)
    for step in steps:
        for group, servers in members.items():
            assert len({step[s] for s in servers}) == len(servers), (group, step)
    assert all(m["migration_type"] == "live-migration" for m in migrations)
    # A move Nova refused (its stale view) was tried again: each failed record is a
    # refusal in the conductor, and the server moved in the end.
    for server in {m["instance_uuid"] for m in migrations if m["status"] == "error"}:
        failed = [e["event"] for a in records.actions(server) for e in a["events"]
                  if e["result"] == "Error"]
        assert failed and all(name.startswith("conductor_") for name in failed), (server, failed)
    assert {s["status"] for s in records.services().values()} == {"enabled"}
    assert {records.server(s)["status"] for s in ids} == {"ACTIVE"}
