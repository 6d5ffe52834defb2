"""Sessions of the embedded Mistral against a real Nova 34 on its default configuration.

No VNFM here (`unsubscribed: migrate`): the project's instances are moved
unasked. The verdict comes from Nova's records: os-migrations replayed from
the servers' first hosts, os-services, server groups, server states.
"""

import json
import time

import pytest

from rolling_maintenance.embedded import stack

ROLLING = "maintenance.rolling"


@pytest.fixture(scope="module")
def mistral(testbed, tmp_path_factory):
    """The embedded Mistral, its actions reaching the test bed as its admin."""
    import os
    workdir = tmp_path_factory.mktemp("realcloud-mistral")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(OS_CLIENT_CONFIG_FILE=testbed.clouds_yaml, OS_CLOUD="admin")
    with stack.EmbeddedMistral(str(workdir), env=env,
                               reply_api_port=testbed.maintenance_port) as running:
        yield running


def run_to_end(mistral, workflow, workflow_input, timeout=900):
    client = mistral.client()
    execution = client.executions.create(workflow, workflow_input=workflow_input)
    deadline = time.monotonic() + timeout
    while execution.state not in ("SUCCESS", "ERROR", "CANCELLED"):
        assert time.monotonic() < deadline, f"{workflow} still {execution.state}"
        time.sleep(1)
        execution = client.executions.get(execution.id)
    return execution


def placement(records, server_ids):
    return {s: records.host_of(s) for s in server_ids}


def replay(first_hosts, migrations):
    """Where every server was after each completed migration, in Nova's order."""
    where = dict(first_hosts)
    steps = [dict(where)]
    for migration in sorted(migrations, key=lambda m: (m["updated_at"], m["id"])):
        if migration["status"] not in ("completed", "confirmed"):
            continue
        assert where[migration["instance_uuid"]] == migration["source_compute"], migration
        where[migration["instance_uuid"]] = migration["dest_compute"]
        steps.append(dict(where))
    return steps


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
    """Every host emptied and given back, anti-affinity kept at every step, on Nova's
    default scheduler settings (its view of a host lags a live migration)."""
    pair = workload.group("tenant-a", "pair")
    ids = ([workload.boot("tenant-a", f"pair-{i}", group_id=pair) for i in range(2)]
           + [workload.boot("tenant-a", "a-single", flavor="m1.medium"),
              workload.boot("tenant-b", "b-0"), workload.boot("tenant-b", "b-1")])
    workload.wait_active(ids)
    first = placement(records, ids)
    members = {pair: ids[:2]}
    since = records.server(ids[0])["created"]

    execution = run_to_end(mistral, ROLLING, {"hosts": [], "unsubscribed": "migrate",
                                              "migration_timeout": 600})
    assert execution.state == "SUCCESS", execution.state_info
    assert json.loads(execution.output)["state"] == "MAINTENANCE_DONE"

    migrations = [m for m in records.migrations(since=since) if m["instance_uuid"] in first]
    steps = replay(first, migrations)
    where = steps[-1]
    assert where == placement(records, ids)
    emptied = {h for h in testbed.hosts if any(h not in step.values() for step in steps)}
    assert emptied == set(testbed.hosts)
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
