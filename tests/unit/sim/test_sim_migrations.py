"""Live and cold migrations step by step on a manual clock, through openstacksdk.

In the small cloud vm1 (1 GiB, anti-affinity with vm2 on compute-1) can only
go to compute-2; its live migration takes max(2, 1 GiB x 4 s) = 4 s, and
its record says `completed` 0.3 s later (the source host's part).
"""

import pytest
from openstack import exceptions as sdk_exceptions
from simcloud import sid


def live(cloud, name, **kwargs):
    kwargs.setdefault("host", None)
    cloud.admin.compute.live_migrate_server(sid(name), block_migration="auto", **kwargs)


def live_at_2_34(cloud, name, host=None):
    """From 2.34 Nova schedules a live migration after answering 202."""
    response = cloud.admin.compute.post(
        "/servers/%s/action" % sid(name), microversion="2.34",
        json={"os-migrateLive": {"host": host, "block_migration": "auto"}})
    assert response.status_code == 202


def events_of(cloud, name):
    [action] = [a for a in cloud.admin.compute.server_actions(sid(name))
                if a.action == "live-migration"][:1]
    detail = cloud.admin.compute.get_server_action(action.request_id, sid(name))
    return [(e.event, e.result) for e in detail.events]


def record(cloud, name):
    [migration] = list(cloud.admin.compute.migrations(server_id=sid(name)))
    return migration


def at(cloud, t):
    cloud.advance(t - cloud.clock.now())


def test_live_migration_status_sequence(cloud):
    live(cloud, "vm1")
    seen = []
    for t in (0.1, 0.5, 1.0, 3.9):
        at(cloud, t)
        server = cloud.admin.compute.get_server(sid("vm1"))
        seen.append((record(cloud, "vm1").status, server.status, server.task_state, server.compute_host))
    assert seen == [
        ("accepted", "MIGRATING", "migrating", "compute-0"),
        ("preparing", "MIGRATING", "migrating", "compute-0"),
        ("running", "MIGRATING", "migrating", "compute-0"),
        ("running", "MIGRATING", "migrating", "compute-0"),
    ]
    at(cloud, 4.0)
    server = cloud.admin.compute.get_server(sid("vm1"))
    assert (server.status, server.task_state, server.compute_host) == ("ACTIVE", None, "compute-2")
    assert record(cloud, "vm1").status == "running"  # the source host has not done its part
    assert cloud.usage()["compute-0"][:2] == [3, 5120]
    at(cloud, 4.3)
    done = record(cloud, "vm1")
    assert (done.status, done.migration_type, done.source_compute, done.dest_compute) == (
        "completed", "live-migration", "compute-0", "compute-2")
    assert cloud.usage()["compute-0"][:2] == [2, 4096]
    events = [e for e in cloud.sim.events() if e["type"].startswith("migration.")]
    assert [(e["type"], e["t"], e["kind"], e["source"], e["dest"]) for e in events] == [
        ("migration.started", 0.0, "live", "compute-0", "compute-2"),
        ("migration.finished", 4.3, "live", "compute-0", "compute-2"),
    ]


def test_resources_count_on_both_hosts_while_moving(cloud):
    live(cloud, "vm1")
    at(cloud, 1.0)
    used = cloud.usage()
    assert used["compute-0"][:2] == [3, 5120]
    assert used["compute-2"][:2] == [2, 2048]
    hyp = cloud.admin.compute.get("/os-hypervisors/detail", microversion="2.87").json()["hypervisors"]
    assert {h["hypervisor_hostname"]: h["memory_mb_used"] for h in hyp}["compute-2"] == 2048
    at(cloud, 5.0)
    used = cloud.usage()
    assert (used["compute-0"][:2], used["compute-2"][:2]) == ([2, 4096], [2, 2048])


def test_server_migrations_lists_only_live_moves_in_progress(cloud):
    live(cloud, "vm1")
    assert list(cloud.admin.compute.server_migrations(sid("vm1"))) == []  # still 'accepted'
    at(cloud, 0.5)
    [moving] = list(cloud.admin.compute.server_migrations(sid("vm1")))
    assert (moving.status, moving.source_compute, moving.dest_compute) == ("preparing", "compute-0", "compute-2")
    assert moving.memory_total_bytes == 1024 ** 3
    shown = cloud.admin.compute.get_server_migration(moving.id, sid("vm1"))
    assert shown.uuid == moving.uuid
    at(cloud, 4.3)
    assert list(cloud.admin.compute.server_migrations(sid("vm1"))) == []
    with pytest.raises(sdk_exceptions.NotFoundException):
        cloud.admin.compute.get_server_migration(moving.id, sid("vm1"), ignore_missing=False)



def test_a_running_live_migration_shows_its_memory_copied_at_an_even_pace(cloud):
    live(cloud, "vm1")
    copied = []
    for t in (0.5, 2.4, 3.2):
        at(cloud, t)
        [moving] = list(cloud.admin.compute.server_migrations(sid("vm1")))
        assert moving.memory_processed_bytes + moving.memory_remaining_bytes == 1024 ** 3
        copied.append(moving.memory_processed_bytes / 1024 ** 3)
    # Running from 0.8 s (after scheduling and preparing) to its end at 4.0 s.
    assert copied == [0.0, pytest.approx(0.5), pytest.approx(0.75)]

def test_live_migrations_from_one_host_are_queued_one_at_a_time(cloud):
    live(cloud, "vm1")   # 4 s
    live(cloud, "vm3")   # 4 GiB: 16 s, waits for vm1
    at(cloud, 2.0)
    assert record(cloud, "vm3").status == "queued"
    at(cloud, 4.0)
    assert record(cloud, "vm3").status == "queued"  # vm1's record is not completed yet
    at(cloud, 4.3)
    assert record(cloud, "vm3").status == "preparing"
    at(cloud, 19.4)
    assert record(cloud, "vm3").status == "running"
    at(cloud, 19.8)
    assert record(cloud, "vm3").status == "completed"
    assert cloud.server("vm3").host == "compute-1"
    finished = [(e["server"], e["t"]) for e in cloud.sim.events() if e["type"] == "migration.finished"]
    assert finished == [(sid("vm1"), 4.3), (sid("vm3"), 19.8)]


def test_injected_fault_ends_in_error_with_server_active_on_source(cloud):
    assert cloud.http("POST", "/_sim/faults", json={"type": "migration_error", "host": "compute-0",
                                                   "count": 1}).status_code == 201
    live(cloud, "vm1")
    at(cloud, 3.0)
    assert cloud.admin.compute.get_server(sid("vm1")).status == "MIGRATING"
    at(cloud, 4.0)
    server = cloud.admin.compute.get_server(sid("vm1"))
    assert (server.status, server.task_state, server.compute_host) == ("ACTIVE", None, "compute-0")
    assert record(cloud, "vm1").status == "error"
    assert cloud.usage()["compute-2"][:2] == [1, 1024]
    [failed] = [e for e in cloud.sim.events() if e["type"] == "migration.failed"]
    assert failed["t"] == 4.0 and "Injected fault" in failed["reason"]
    [action] = list(cloud.admin.compute.server_actions(sid("vm1")))
    assert (action.action, action.message) == ("live-migration", "Error")
    live(cloud, "vm1")  # the fault was for one migration only
    at(cloud, 8.0)
    assert cloud.server("vm1").host == "compute-2"


def test_no_valid_host_below_2_34_is_a_400_with_a_failed_record(cloud):
    cloud.admin.compute.disable_service(
        next(cloud.admin.compute.services(binary="nova-compute", host="compute-2")), disabled_reason="m")
    # anti-affinity rules out compute-1, compute-2 is disabled; openstacksdk sends 2.30
    with pytest.raises(sdk_exceptions.BadRequestException,
                       match="No valid host was found. There are not enough hosts available."):
        live(cloud, "vm1")
    migration = record(cloud, "vm1")
    assert (migration.status, migration.dest_compute) == ("error", None)
    server = cloud.admin.compute.get_server(sid("vm1"))
    assert (server.status, server.task_state, server.compute_host) == ("ACTIVE", None, "compute-0")
    assert events_of(cloud, "vm1") == [("conductor_migrate_server", "Error")]
    [failed] = [e for e in cloud.sim.events() if e["type"] == "migration.failed"]
    assert failed["reason"].startswith("No valid host was found")


def test_no_valid_host_from_2_34_is_accepted_then_error(cloud):
    cloud.admin.compute.disable_service(
        next(cloud.admin.compute.services(binary="nova-compute", host="compute-2")), disabled_reason="m")
    live_at_2_34(cloud, "vm1")
    assert cloud.admin.compute.get_server(sid("vm1")).status == "MIGRATING"
    migration = record(cloud, "vm1")
    assert (migration.status, migration.dest_compute) == ("accepted", None)
    at(cloud, 0.2)
    assert record(cloud, "vm1").status == "error"
    server = cloud.admin.compute.get_server(sid("vm1"))
    assert (server.status, server.compute_host) == ("ACTIVE", "compute-0")
    assert events_of(cloud, "vm1") == [("conductor_live_migrate_instance", "Error")]


def test_explicit_target_is_checked_by_the_same_rules(cloud):
    with pytest.raises(sdk_exceptions.BadRequestException, match="No valid host was found"):
        live(cloud, "vm1", host="compute-1")  # vm2 is there: anti-affinity
    assert record(cloud, "vm1").status == "error"
    with pytest.raises(sdk_exceptions.BadRequestException, match="Compute host nowhere could not be found."):
        live(cloud, "vm1", host="nowhere")
    live(cloud, "vm1", host="compute-1", force=True)  # 2.30: force skips the scheduler
    at(cloud, 6.0)
    assert cloud.server("vm1").host == "compute-1"
    live(cloud, "vm3", host="compute-1", force=True)  # claims the last 2 vcpus of compute-1
    live(cloud, "vm4", host="compute-1", force=True)  # forced, but the claim must still fit
    at(cloud, 7.0)
    assert (record(cloud, "vm3").status, record(cloud, "vm4").status) == ("preparing", "error")
    assert cloud.server("vm4").host == "compute-2"


def test_the_scheduler_sees_a_migrated_server_on_its_old_host_for_a_while(cloud):
    """Nova's scheduler learns that a server left a host only at the host's next instance
    sync: anti-affinity refuses another member there until then (1 s by default here)."""
    live(cloud, "vm2", host="compute-2")  # vm1's partner leaves compute-1 (2 GiB: 8 s)
    at(cloud, 8.3)
    assert cloud.server("vm2").host == "compute-2"
    with pytest.raises(sdk_exceptions.BadRequestException, match="anti-affinity"):
        live(cloud, "vm1", host="compute-1")
    assert events_of(cloud, "vm1") == [("conductor_migrate_server", "Error")]
    at(cloud, 9.4)
    live(cloud, "vm1", host="compute-1")
    at(cloud, 13.8)
    assert cloud.server("vm1").host == "compute-1"


def test_cold_migration_needs_confirm(cloud):
    cloud.admin.compute.migrate_server(sid("vm2"))  # 2 GiB x 8 s = 16 s, to compute-2
    server = cloud.admin.compute.get_server(sid("vm2"))
    assert (server.status, server.task_state, server.compute_host) == ("RESIZE", "resize_prep", "compute-1")
    with pytest.raises(sdk_exceptions.ConflictException,
                       match="Cannot 'confirmResize' instance %s while it is in vm_state active" % sid("vm2")):
        cloud.admin.compute.confirm_server_resize(sid("vm2"))
    statuses = []
    for t in (1.0, 2.0, 12.0, 15.0):
        at(cloud, t)
        statuses.append((record(cloud, "vm2").status, cloud.server("vm2").task_state))
    assert statuses == [("pre-migrating", "resize_prep"), ("migrating", "resize_migrating"),
                        ("post-migrating", "resize_migrated"), ("post-migrating", "resize_finish")]
    at(cloud, 16.0)
    server = cloud.admin.compute.get_server(sid("vm2"))
    assert (server.status, server.compute_host) == ("VERIFY_RESIZE", "compute-2")
    assert record(cloud, "vm2").status == "finished"
    assert cloud.usage()["compute-1"][:2] == [1, 2048]  # source still claimed
    cloud.admin.compute.confirm_server_resize(sid("vm2"))
    # Nova shows `confirming`, the server still VERIFY_RESIZE, until the source cleans up.
    assert record(cloud, "vm2").status == "confirming"
    assert cloud.admin.compute.get_server(sid("vm2")).status == "VERIFY_RESIZE"
    with pytest.raises(sdk_exceptions.BadRequestException, match="Instance has not been resized."):
        cloud.admin.compute.confirm_server_resize(sid("vm2"))
    at(cloud, 16.3)
    server = cloud.admin.compute.get_server(sid("vm2"))
    assert (server.status, server.vm_state, server.compute_host) == ("ACTIVE", "active", "compute-2")
    assert record(cloud, "vm2").migration_type == "migration"
    assert record(cloud, "vm2").status == "confirmed"
    assert cloud.usage()["compute-1"][:2] == [0, 0]
    assert [a.action for a in cloud.admin.compute.server_actions(sid("vm2"))] == ["confirmResize", "migrate"]
    kinds = [e["type"] for e in cloud.sim.events() if e["type"].startswith("migration.")]
    assert kinds == ["migration.started", "migration.finished", "migration.confirmed"]


def test_cold_migration_revert_goes_back_to_the_source(cloud):
    cloud.admin.compute.migrate_server(sid("vm1"))  # 1 GiB x 8 s = 8 s
    at(cloud, 8.0)
    cloud.admin.compute.revert_server_resize(sid("vm1"))
    assert cloud.admin.compute.get_server(sid("vm1")).status == "REVERT_RESIZE"
    at(cloud, 10.0)
    server = cloud.admin.compute.get_server(sid("vm1"))
    assert (server.status, server.compute_host) == ("ACTIVE", "compute-0")
    assert record(cloud, "vm1").status == "reverted"
    assert cloud.usage()["compute-2"][:2] == [1, 1024]


def test_cold_migration_to_a_named_host_at_2_56(cloud):
    answer = cloud.admin.compute.post("/servers/%s/action" % sid("vm3"), json={"migrate": {"host": "compute-0"}},
                                      microversion="2.56")
    assert answer.status_code == 400
    assert "Cannot migrate to the host where the server exists." in answer.text
    old = cloud.admin.compute.post("/servers/%s/action" % sid("vm3"), json={"migrate": {"host": "compute-1"}},
                                   microversion="2.55")
    assert old.status_code == 400
    cloud.admin.compute.migrate_server(sid("vm3"), host="compute-1")
    at(cloud, 32.0)
    assert cloud.admin.compute.get_server(sid("vm3")).compute_host == "compute-1"


def test_cold_migration_fault_ends_in_error_active_on_source(cloud):
    cloud.sim.model.inject_fault({"type": "migration_error", "host": "compute-1"})
    cloud.admin.compute.migrate_server(sid("vm2"))
    at(cloud, 16.0)
    server = cloud.admin.compute.get_server(sid("vm2"))
    assert (server.status, server.task_state, server.compute_host) == ("ACTIVE", None, "compute-1")
    assert record(cloud, "vm2").status == "error"


def test_busy_server_cannot_be_moved_again(cloud):
    live(cloud, "vm1")
    with pytest.raises(sdk_exceptions.ConflictException,
                       match="Cannot 'os-migrateLive' instance %s while it is in task_state migrating" % sid("vm1")):
        live(cloud, "vm1")
    with pytest.raises(sdk_exceptions.ConflictException, match="Cannot 'migrate' instance"):
        cloud.admin.compute.migrate_server(sid("vm1"))


def test_migrations_are_admin_only(cloud):
    member = cloud.member("p1")
    with pytest.raises(sdk_exceptions.ForbiddenException, match="migrate_live"):
        member.compute.live_migrate_server(sid("vm1"), host=None, block_migration="auto")
    with pytest.raises(sdk_exceptions.ForbiddenException):
        member.compute.migrate_server(sid("vm1"))
    with pytest.raises(sdk_exceptions.ForbiddenException):
        list(member.compute.migrations())
    assert cloud.sim.model.migrations == {}


def test_os_migrations_filters(cloud):
    live(cloud, "vm1")
    cloud.admin.compute.migrate_server(sid("vm4"))
    all_of_them = list(cloud.admin.compute.migrations())
    assert len(all_of_them) == 2
    assert [m.server_id for m in cloud.admin.compute.migrations(migration_type="migration")] == [sid("vm4")]
    assert [m.server_id for m in cloud.admin.compute.migrations(source_compute="compute-0")] == [sid("vm1")]
    assert [m.server_id for m in cloud.admin.compute.migrations(host="compute-2")] == [sid("vm4"), sid("vm1")]
    assert list(cloud.admin.compute.migrations(status="completed")) == []
    at(cloud, 4.3)
    assert [m.server_id for m in cloud.admin.compute.migrations(status="completed")] == [sid("vm1")]


def test_instance_action_detail_has_events(cloud):
    live(cloud, "vm1")
    at(cloud, 4.3)
    [summary] = list(cloud.admin.compute.server_actions(sid("vm1")))
    detail = cloud.admin.compute.get_server_action(summary.request_id, sid("vm1"))
    assert detail.action == "live-migration" and detail.message is None
    assert [(e.event, e.result) for e in detail.events] == [("compute_live_migration", "Success")]
    assert detail.start_time == "2024-01-01T00:00:00.000000"
    assert detail.events[0].finish_time == "2024-01-01T00:00:04.300000"


def test_deleting_a_migrating_server_frees_the_queue(cloud):
    live(cloud, "vm1")
    live(cloud, "vm3")
    at(cloud, 1.0)
    cloud.admin.compute.delete_server(sid("vm1"))
    at(cloud, 1.5)
    assert record(cloud, "vm3").status == "preparing"
    assert [m.status for m in cloud.admin.compute.migrations(server_id=sid("vm1"))] == ["error"]
    used = cloud.usage()
    assert (used["compute-2"][:2], used["compute-1"][:2]) == ([1, 1024], [3, 6144])


def test_model_calls_act_as_the_admin(cloud):
    model = cloud.sim.model
    with model.lock:
        model.advance()
        model.live_migrate(model.system_actor(), sid("vm1"))
    [action] = list(cloud.admin.compute.server_actions(sid("vm1")))
    admin = cloud.admin.session.auth.get_access(cloud.admin.session)
    assert (action.action, action.user_id, action.project_id) == ("live-migration", admin.user_id, "admin")
