"""What Nova does, asserted once and run on both clouds: the simulator
(tests/contract) and the real Nova of the test bed (tests/realcloud).

Each check takes a `Cloud`: an admin connection and Nova's own records, two
members of an anti-affinity group on different hosts (and a host that holds
neither), the adapters' timing (a stepping clock on the simulator, real time
on the test bed), the memory each host reserves and its CPU allocation ratio. The verdicts come from
Nova's records (os-migrations, os-instance-actions, servers, hypervisors),
read at fixed microversions, not from the adapters under test.
"""

import dataclasses
import logging
import time
from typing import Any, Callable

from rolling_maintenance import cloud
from rolling_maintenance.cloud import move_steps
# The image and the network both clouds serve (the simulator, the test bed's stand-ins).
from rolling_maintenance.sim.model.servers import DEFAULT_IMAGE, DEFAULT_NETWORK

NO_VALID_HOST = "No valid host was found."


class NovaRecords:
    """Nova's own view, asked at fixed microversions with an admin connection."""

    def __init__(self, conn):
        self.conn = conn

    def get(self, path, microversion):
        response = self.conn.compute.get(path, microversion=microversion)
        response.raise_for_status()
        return response.json()

    def migrations(self, server_id=None, since=None):
        query = []
        if server_id:
            query.append(f"instance_uuid={server_id}")
        if since:
            query.append(f"changes-since={since}")
        path = "/os-migrations" + ("?" + "&".join(query) if query else "")
        return sorted(self.get(path, "2.80")["migrations"], key=lambda m: m["id"])

    def actions(self, server_id):
        """Every instance action of the server, oldest first, each with its events.

        Nova lists them newest first (by creation, then id): two actions begun in the
        same second keep their order only that way."""
        listed = self.get(f"/servers/{server_id}/os-instance-actions", "2.84")["instanceActions"]
        return [self.get(f"/servers/{server_id}/os-instance-actions/{a['request_id']}",
                         "2.84")["instanceAction"] for a in reversed(listed)]

    def services(self):
        return {s["host"]: s for s in self.get("/os-services?binary=nova-compute",
                                               "2.69")["services"]}

    def hypervisors(self):
        """{host: hypervisor} at 2.87, the last microversion with capacity fields."""
        return {h["service"]["host"]: h
                for h in self.get("/os-hypervisors/detail", "2.87")["hypervisors"]}

    def server(self, server_id):
        return self.get(f"/servers/{server_id}", "2.96")["server"]

    def host_of(self, server_id):
        return self.server(server_id)["OS-EXT-SRV-ATTR:host"]

    def groups(self):
        return self.get("/os-server-groups?all_projects=True", "2.64")["server_groups"]


@dataclasses.dataclass
class Cloud:
    """One cloud as the shared checks see it."""

    conn: Any
    records: NovaRecords
    hosts: list
    pair: Callable  # () -> (a, b): anti-affinity members on different hosts
    single: Callable  # () -> a server in no group
    timing: dict  # the adapters' timeout, poll and clock
    reserved_host_memory_mb: int
    cpu_allocation_ratio: float
    wait: Callable = time.sleep  # lets Nova's time pass (the simulator's steps)


def _disable_all_but(side, keep):
    for host in set(side.hosts) - set(keep):
        cloud.disable_host(side.conn, host, "test: nowhere to go")


def _wait_statuses(side, server_id, wanted, timeout=30):
    deadline = time.monotonic() + timeout
    while ([m["status"] for m in side.records.migrations(server_id)] != wanted
           and time.monotonic() < deadline):
        side.wait(0.5)
    return [m["status"] for m in side.records.migrations(server_id)]


def no_valid_host_fails_the_migration(side):
    """Below 2.34 (openstacksdk sends 2.30) Nova schedules a live migration while the
    request waits: no valid host is a 400, with a migration record in `error` and the
    action failed in the conductor. The adapter reports `migration_failed`."""
    first, second = side.pair()
    source = side.records.host_of(first)
    _disable_all_but(side, {source, side.records.host_of(second)})
    try:
        cloud.live_migrate(side.conn, first, refused_retry_s=0, **side.timing)
    except cloud.CloudError as exc:
        error = exc
    else:
        raise AssertionError("a live migration with no valid host succeeded")
    assert error.code == "migration_failed"
    (migration,) = side.records.migrations(first)
    assert error.details == {"server": first, "source": source, "dest": None,
                             "migration_id": migration["id"], "status": "error"}
    assert NO_VALID_HOST in error.message
    failed = side.records.actions(first)[-1]
    assert failed["action"] == "live-migration"
    assert [(e["event"], e["result"]) for e in failed["events"]] == [
        ("conductor_migrate_server", "Error")]
    assert side.records.host_of(first) == source


def doomed_live_migration_answers_by_microversion(side):
    """400 below 2.34, 202 from 2.34; either way the record ends in `error`."""
    first, second = side.pair()
    stay = {side.records.host_of(first), side.records.host_of(second)}
    _disable_all_but(side, stay)
    body = {"os-migrateLive": {"host": None, "block_migration": "auto"}}
    answers = {}
    for count, microversion in enumerate(("2.30", "2.34"), start=1):
        response = side.conn.compute.post(f"/servers/{first}/action", json=body,
                                          microversion=microversion, raise_exc=False)
        answers[microversion] = response.status_code
        _wait_statuses(side, first, ["error"] * count)
    assert answers == {"2.30": 400, "2.34": 202}
    assert [m["status"] for m in side.records.migrations(first)] == ["error", "error"]
    assert side.records.host_of(first) in stay
    events = [[e["event"] for e in a["events"]] for a in side.records.actions(first)
              if a["action"] == "live-migration"]
    assert events == [["conductor_migrate_server"], ["conductor_live_migrate_instance"]]


def stale_view_refusal_is_retried(side, caplog, max_wait_s):
    """A leaves host hA; B (same anti-affinity group) is sent to hA at once. Nova's
    scheduler still counts A on hA until hA's next instance sync and may refuse; the
    adapter tries again, logging each refusal, until Nova agrees. Returns the refusals."""
    a, b = side.pair()
    h_a, h_b = side.records.host_of(a), side.records.host_of(b)
    h_c = next(h for h in sorted(side.hosts) if h not in (h_a, h_b))
    cloud.live_migrate(side.conn, a, target_host=h_c, **side.timing)
    caplog.set_level(logging.WARNING, logger="rolling_maintenance.cloud.migrations")
    clock = side.timing.get("clock")
    now = clock.now if clock else time.monotonic
    started = now()
    timing = dict(side.timing, timeout=600)
    result = cloud.live_migrate(side.conn, b, target_host=h_a, **timing)
    waited = now() - started
    assert (result["dest"], side.records.host_of(b)) == (h_a, h_a)
    statuses = [m["status"] for m in side.records.migrations(b)]
    assert statuses[-1] == "completed"
    refusals = statuses[:-1]
    assert set(refusals) <= {"error"}
    logged = [r for r in caplog.records if "trying again" in r.getMessage()]
    assert len(logged) == len(refusals)
    assert waited < max_wait_s
    assert len({side.records.host_of(a), side.records.host_of(b)}) == 2
    return refusals


def cold_migrate_confirms_once(side):
    """Nova passes through `confirming` (the server still VERIFY_RESIZE) to `confirmed`;
    the adapter confirms once and waits until the server is at rest on the target."""
    server = side.single()
    source = side.records.host_of(server)
    target = next(h for h in sorted(side.hosts) if h != source)
    result = cloud.cold_migrate(side.conn, server, target_host=target, **side.timing)
    assert (result["source"], result["dest"], result["type"]) == (source, target, "cold")
    (migration,) = side.records.migrations(server)
    assert (migration["migration_type"], migration["status"]) == ("migration", "confirmed")
    assert migration["dest_compute"] == target
    actions = [a["action"] for a in side.records.actions(server) if a["action"] != "create"]
    assert actions == ["migrate", "confirmResize"]
    record = side.records.server(server)
    assert (record["status"], record["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", target)


def migration_record_fields(side):
    """os-migrations at 2.80 as Nova 34 shows a live migration's record."""
    server = side.single()
    source = side.records.host_of(server)
    target = next(h for h in sorted(side.hosts) if h != source)
    cloud.live_migrate(side.conn, server, target_host=target, **side.timing)
    (migration,) = side.records.migrations(server)
    assert "source_region" not in migration and "dest_region" not in migration
    assert migration["dest_host"] is None
    assert isinstance(migration["old_instance_type_id"], int)
    assert isinstance(migration["new_instance_type_id"], int)
    assert (migration["migration_type"], migration["status"], migration["source_compute"],
            migration["dest_compute"]) == ("live-migration", "completed", source, target)


def a_live_move_ends_with_its_record(side, timeout=120):
    """Nova runs a live-migrated server ACTIVE on its destination a moment before the
    source host has done its part and the record says `completed`; a step's look says
    the move is done only once the record does. Returns whether that moment was seen."""
    server = side.single()
    source = side.records.host_of(server)
    target = next(h for h in sorted(side.hosts) if h != source)
    known = move_steps.migration_ids(side.conn, server)
    move_steps.start(side.conn, server, move_steps.LIVE, target_host=target)
    seen, deadline = False, time.monotonic() + timeout
    while (looked := move_steps.look(side.conn, server, source, move_steps.LIVE, known))[
            "phase"] != move_steps.DONE:
        assert looked["phase"] == move_steps.MOVING and time.monotonic() < deadline, looked
        record, (migration,) = side.records.server(server), side.records.migrations(server)
        seen = seen or (record["status"] == "ACTIVE" and migration["status"] == "running"
                        and record["OS-EXT-SRV-ATTR:host"] == target)
        side.wait(0.1)
    (migration,) = side.records.migrations(server)
    assert (looked["host"], migration["status"]) == (target, "completed")
    return seen


def _usage_settled(side, timeout):
    """(os-hypervisors, the adapter's hosts) once their usage agrees, or at `timeout`.

    Placement's allocations move with a server at once; os-hypervisors' usage is
    the compute's resource tracker's, rewritten only by its periodic update (every
    60 s on Nova's default, which the test bed keeps), so right after a migration
    the two disagree until the next update."""
    deadline = time.monotonic() + timeout
    while True:
        hypervisors = side.records.hypervisors()
        listed = {h["name"]: h for h in cloud.list_compute_hosts(side.conn)}
        settled = all(
            name in listed
            and listed[name]["ram_mb_used"] == h["memory_mb_used"] - side.reserved_host_memory_mb
            and listed[name]["vcpus_used"] == h["vcpus_used"]
            for name, h in hypervisors.items())
        if settled or time.monotonic() > deadline:
            return hypervisors, listed
        time.sleep(2)


def capacity_as_placement_counts_it(side, settle_s=150):
    """os-hypervisors counts reserved_host_memory_mb as used, on an empty host too;
    the adapter reads Placement: the reserved memory and the ratios apart, usage
    without them, and the hypervisor's totals. The usage is compared once Nova's
    two records of it agree again after earlier moves (`_usage_settled`, at most
    `settle_s`: two resource-tracker updates and a margin); if they never do, the
    comparison below fails."""
    hypervisors, listed = _usage_settled(side, settle_s)
    empty = [name for name, h in hypervisors.items() if h["vcpus_used"] == 0]
    assert empty
    assert {hypervisors[name]["memory_mb_used"] for name in empty} == {
        side.reserved_host_memory_mb}
    for name, hypervisor in hypervisors.items():
        host = listed[name]
        assert host["capacity_source"] == "placement"
        assert (host["vcpus"], host["ram_mb"]) == (hypervisor["vcpus"], hypervisor["memory_mb"])
        assert host["reserved_host_memory_mb"] == side.reserved_host_memory_mb
        assert host["ram_mb_used"] == hypervisor["memory_mb_used"] - side.reserved_host_memory_mb
        assert host["vcpus_used"] == hypervisor["vcpus_used"]
        assert host["cpu_allocation_ratio"] == side.cpu_allocation_ratio


def empty_image_ref_is_refused(member_conn):
    """A boot with `imageRef: ""` (and no volume) is a 400."""
    flavor = member_conn.compute.find_flavor("m1.tiny").id
    try:
        cloud.create_server(member_conn, "no-image", flavor, "", networks="none")
    except cloud.CloudError as exc:
        assert exc.code == "bad_request"
        assert "Missing imageRef attribute" in exc.message
    else:
        raise AssertionError("a server without an image was booted")


def boots_on_the_named_network_and_refuses_an_unknown_one(member_conn):
    """A boot naming the cloud's network is accepted; naming a network Neutron does not
    have is a 400 "Network ... could not be found." (and nothing is created)."""
    flavor = member_conn.compute.find_flavor("m1.tiny").id
    created = cloud.create_server(member_conn, "on-the-network", flavor, DEFAULT_IMAGE,
                                  networks=[{"uuid": DEFAULT_NETWORK}], wait=False)
    try:
        assert member_conn.compute.get_server(created["id"]).status in ("BUILD", "ACTIVE")
    finally:
        cloud.delete_server(member_conn, created["id"])
    unknown = "00000000-0000-4000-8000-00000000dead"
    before = {s.id for s in member_conn.compute.servers()}
    try:
        cloud.create_server(member_conn, "nowhere", flavor, DEFAULT_IMAGE,
                            networks=[{"uuid": unknown}], wait=False)
    except cloud.CloudError as exc:
        assert exc.code == "bad_request"
        assert f"Network {unknown} could not be found." in exc.message
    else:
        raise AssertionError("a server on an unknown network was accepted")
    assert {s.id for s in member_conn.compute.servers()} <= before
