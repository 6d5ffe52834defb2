"""Sessions with the sample VNFM on a real Nova 34 with its default configuration.

Each project's VNFM boots its application through its own tenant client (an
image and a network the stand-ins serve), subscribes to the maintenance
event type in Aodh, and answers through the reply API; an Inspector hears of
every host's maintenance. The verdict comes from Nova's records (instance
actions, os-migrations, os-services, server groups), what the VNFMs received,
and what the Inspector heard: every host in scope maintained once and empty
while it was, every host enabled at the end, no anti-affinity group on one
host at any step, and no second during which an application's active
instance was migrating.
"""

import contextlib
import datetime
import json
import time
import urllib.request

from nova_verdict import at, broken_groups, downtime, emptying_intervals, overlap, stamp, timeline
from realcloud_support import IMAGE_ID, NETWORK_ID, run_to_end
from rolling_maintenance import cloud
from rolling_maintenance.vnfm.manager import SampleVnfm
from rolling_maintenance.vnfm.reply_client import ReplyClient

ROLLING = "maintenance.rolling"
ORDER = ["MAINTENANCE", "SCALE_IN", "PREPARE_MAINTENANCE", "PLANNED_MAINTENANCE",
         "MAINTENANCE_COMPLETE"]
DOCTOR_HOSTS = ["compute5", "compute6", "compute7"]
# Both applications of the parallel session boot on these two.
SHARED_HOSTS = ["compute1", "compute2"]
# Two per 4-vCPU / 8 GiB host: Placement leaves (8192 - 512 reserved) MB.
DOCTOR_FLAVOR = {"name": "doctor.half", "vcpus": 1, "ram": 3840, "disk": 1}


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def session_input(**overrides):
    value = {"project_maintenance_reply": 30, "project_scale_in_reply": 30,
             "migration_timeout": 300, "metadata": {"openstack_version": "2026.2"}}
    value.update(overrides)
    return value


@contextlib.contextmanager
def vnfms(testbed, mistral, deployments, constraints=False, recovery_time=2):
    """One sample VNFM per project, each deploying `(flavor, extras)` as its application."""
    started = {}
    try:
        for cloud_name, (flavor, extras) in deployments.items():
            vnfm = SampleVnfm.from_cloud(
                cloud_name, clouds_yaml=testbed.clouds_yaml, image=IMAGE_ID, network=NETWORK_ID,
                name_prefix=cloud_name, poll=0.5, timeout=120,
                reply_client=ReplyClient(retry_delay=0.5),
                constraints_url=mistral.reply_api_url if constraints else None,
                recovery_time=recovery_time)
            started[cloud_name] = vnfm.start(adopt=False)
            vnfm.deploy(flavor, extras)
            if constraints:
                vnfm.register_constraints()
        yield started
    finally:
        for vnfm in started.values():
            vnfm.stop(remove_alarm=True)
            for url in vnfm.registered:
                _delete(url, vnfm.cloud.token())


def _delete(url, token):
    request = urllib.request.Request(url, method="DELETE", headers={"X-Auth-Token": token})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with contextlib.suppress(OSError):
        opener.open(request, timeout=10).close()


def assert_session_kept_its_promises(records, inspector, started_vnfms, session_id, since,
                                     scope):
    """Each host in `scope` maintained once and empty meanwhile, every host enabled,
    no group policy broken, zero downtime, every project told in order."""
    steps = timeline(records, since)
    heard = inspector.host_states(session_id)
    assert set(heard) == set(scope), heard
    for host, states in heard.items():
        assert states == ["IN_MAINTENANCE", "MAINTENANCE_COMPLETE"], (host, states)
    for event in inspector.received:
        if event.get("session_id") == session_id and event["state"] == "IN_MAINTENANCE":
            on_it = [s for s, h in at(steps, event["t"]).items() if h == event["host"]]
            assert on_it == [], (event["host"], on_it)
    members = {g["id"]: g["members"] for g in records.groups() if g["policy"] == "anti-affinity"}
    assert members and broken_groups([where for _, where in steps], members) == []
    assert {s["status"] for s in records.services().values()} == {"enabled"}
    migrations = records.migrations(since=since)
    end = time.time()
    for name, vnfm in started_vnfms.items():
        assert vnfm.errors == [], (name, vnfm.errors)
        assert downtime(vnfm.role_log, migrations, end) == 0, (name, vnfm.role_log)
        announced = [s for s in vnfm.states() if s != "INSTANCE_ACTION_DONE"]
        assert announced[0] == "MAINTENANCE" and announced[-1] == "MAINTENANCE_COMPLETE", announced
        head = announced[:announced.index("PLANNED_MAINTENANCE")] \
            if "PLANNED_MAINTENANCE" in announced else announced
        assert [ORDER.index(s) for s in head] == sorted(ORDER.index(s) for s in head), announced
        assert all(records.server(s)["status"] == "ACTIVE" for s in vnfm.app.pair + vnfm.app.extras)
    return steps, migrations


def _flavor(conn, spec):
    found = conn.compute.find_flavor(spec["name"])
    return found or conn.compute.create_flavor(**spec)


def test_doctor_case(testbed, mistral, workload, records, inspector):
    """OPNFV Doctor's case: three hosts, two instances on each, every slot used, one
    project with an ACT-STDBY pair; the session has it scale in, then moves the rest."""
    admin = workload.conn("admin")
    flavor = _flavor(admin, DOCTOR_FLAVOR)
    for host in set(testbed.hosts) - set(DOCTOR_HOSTS):
        cloud.disable_host(admin, host, "outside the Doctor case")
    since = now_utc()
    with vnfms(testbed, mistral, {"tenant-a": (flavor.id, 4)}) as started:
        placed = [records.host_of(s) for s in started["tenant-a"].app.pair + started["tenant-a"].app.extras]
        assert sorted(placed) == sorted(DOCTOR_HOSTS * 2), placed
        execution = run_to_end(mistral, ROLLING, session_input(hosts=DOCTOR_HOSTS))
        assert execution.state == "SUCCESS", execution.state_info
        assert json.loads(execution.output)["state"] == "MAINTENANCE_DONE"
        for host in set(testbed.hosts) - set(DOCTOR_HOSTS):
            cloud.enable_host(admin, host)
        _, migrations = assert_session_kept_its_promises(
            records, inspector, started, execution.id, since, DOCTOR_HOSTS)
        vnfm = started["tenant-a"]
        assert "SCALE_IN" in vnfm.states()
        assert len([m for m in migrations if m["status"] == "completed"]) >= 2
        planned = [r for r in vnfm.received if r["state"] == "PLANNED_MAINTENANCE"]
        assert planned and all(r["metadata"] == {"openstack_version": "2026.2"} for r in planned)
        assert all("MIGRATE" in r["allowed_actions"] for r in planned)
        # Scaled back out at the end: new instances booted with the image and the network.
        assert len(vnfm.app.extras) == 4
        for server_id in vnfm.app.extras:
            server = records.server(server_id)
            assert server["image"]["id"] == IMAGE_ID and list(server["addresses"]) == ["testbed-net"]


def test_eight_hosts_in_parallel_rounds_two_projects_with_constraints(
        testbed, mistral, workload, records, inspector):
    """Eight hosts (four of 8 vCPUs / 16 GiB, four of 4 / 8 GiB), two projects whose
    VNFMs register their pair's constraints through the API, both applications on
    two hosts: a parallel session empties those two hosts in one round, a pair's
    members leaving them one after the other, `recovery_time` apart."""
    assert len(testbed.hosts) == 8, "the tier's bed has 8 computes (realcloud_support.COMPUTES)"
    admin = workload.conn("admin")
    others = sorted(set(testbed.hosts) - set(SHARED_HOSTS))
    for host in others:
        cloud.disable_host(admin, host, "the applications boot on two hosts")
    since = now_utc()
    deployments = {"tenant-a": ("m1.medium", 1), "tenant-b": ("m1.small", 2)}
    with vnfms(testbed, mistral, deployments, constraints=True, recovery_time=2) as started:
        for host in others:
            cloud.enable_host(admin, host)
        pairs = {v.pair_group["id"]: v for v in started.values()}
        for vnfm in started.values():
            assert sorted(records.host_of(s) for s in vnfm.app.pair) == SHARED_HOSTS
        status, groups = _get(mistral.reply_api_url + "/v1/instance_group")
        registered = {g["group_id"]: g for g in groups["instance_groups"]}
        assert status == 200 and set(registered) >= set(pairs)
        assert all(registered[g]["max_impacted_members"] == 1 for g in pairs)
        execution = run_to_end(mistral, ROLLING, session_input(max_parallel_hosts=2))
        assert execution.state == "SUCCESS", execution.state_info
        assert json.loads(execution.output)["state"] == "MAINTENANCE_DONE"
        _, migrations = assert_session_kept_its_promises(
            records, inspector, started, execution.id, since, testbed.hosts)
    done = [m for m in migrations if m["status"] == "completed"]
    # In parallel: the two hosts were under maintenance together, and Nova moved
    # servers off both of them at once.
    maintained = inspector.maintenance_intervals(execution.id)
    assert overlap(*(maintained[h] for h in SHARED_HOSTS)) > 0, maintained
    emptying = emptying_intervals(done)
    assert overlap(*(emptying[h] for h in SHARED_HOSTS)) > 0, emptying
    for group_id, vnfm in pairs.items():
        moves = sorted((m for m in done if m["instance_uuid"] in vnfm.app.pair),
                       key=lambda m: m["created_at"])
        assert sorted(m["source_compute"] for m in moves) == SHARED_HOSTS, (group_id, moves)
        for before, after in zip(moves, moves[1:], strict=False):
            gap = stamp(after["created_at"]) - stamp(before["updated_at"])
            assert gap >= 2, (group_id, before, after)


def _get(url):
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        return response.status, json.loads(response.read())
