"""Live and cold migrations followed to their end, and a VNFM's own move or delete."""

import pytest

from contract_support import VM_ACT, VM_STDBY, VM_WEB, events_of, inject_fault
from rolling_maintenance import cloud

FAST = {"timeout": 120, "poll": 0.5}


def host_of(conn, server_id):
    return cloud.get_server(conn, server_id)["host"]


def test_live_migrate_to_a_target(sim, conn, recorder, step_clock):
    result = cloud.live_migrate(conn, VM_WEB, target_host="compute-2", clock=step_clock, **FAST)
    assert {k: result[k] for k in ("server", "source", "dest", "type", "changed")} == {
        "server": VM_WEB, "source": "compute-0", "dest": "compute-2", "type": "live",
        "changed": True}
    assert result["migration_id"]
    assert 4.0 <= result["duration_s"] <= 5.0  # 1 GiB at 4 s/GiB, plus one poll

    post = recorder.one("POST", f"/servers/{VM_WEB}/action")
    assert post.json == {"os-migrateLive": {"host": "compute-2", "block_migration": "auto"}}
    assert post.microversion == "compute 2.30"
    polls = recorder.matching("GET", "/os-migrations")
    assert polls and all(r.query == [("instance_uuid", VM_WEB)] for r in polls)
    assert all(r.microversion == "compute 2.80" for r in polls)

    started = events_of(sim, "migration.started")
    finished = events_of(sim, "migration.finished")
    assert [(e["server"], e["source"], e["dest"]) for e in started] == [
        (VM_WEB, "compute-0", "compute-2")]
    assert len(finished) == 1 and finished[0]["seq"] > started[0]["seq"]
    assert host_of(conn, VM_WEB) == "compute-2"


def test_live_migrate_lets_the_scheduler_keep_anti_affinity(conn, recorder, step_clock):
    result = cloud.live_migrate(conn, VM_ACT, clock=step_clock, **FAST)
    assert result["dest"] == "compute-2"  # compute-1 holds the other member of the group
    post = recorder.one("POST", f"/servers/{VM_ACT}/action")
    assert post.json == {"os-migrateLive": {"host": None, "block_migration": "auto"}}
    assert 8.0 <= result["duration_s"] <= 9.0  # 2 GiB at 4 s/GiB, plus one poll


def test_live_migrate_is_idempotent(sim, conn, recorder, step_clock):
    cloud.live_migrate(conn, VM_WEB, source_host="compute-0", clock=step_clock, **FAST)
    recorder.clear()
    again = cloud.live_migrate(conn, VM_WEB, source_host="compute-0", clock=step_clock, **FAST)
    assert again["changed"] is False and again["migration_id"] is None
    assert again["source"] == again["dest"] == host_of(conn, VM_WEB)
    assert recorder.writes() == []
    there = cloud.live_migrate(conn, VM_STDBY, target_host="compute-1", clock=step_clock, **FAST)
    assert there["changed"] is False
    assert recorder.writes() == []
    assert len(events_of(sim, "migration.started")) == 1


def test_failed_live_migration_is_reported_and_the_server_stays(sim, sim_url, conn, step_clock):
    inject_fault(sim_url, type="migration_error", host="compute-0", count=1)
    with pytest.raises(cloud.CloudError) as info:
        cloud.live_migrate(conn, VM_WEB, target_host="compute-2", clock=step_clock, **FAST)
    error = info.value
    assert error.code == "migration_failed"
    assert {k: error.details[k] for k in ("server", "source", "dest", "status")} == {
        "server": VM_WEB, "source": "compute-0", "dest": "compute-2", "status": "error"}
    assert error.details["migration_id"]
    server = cloud.get_server(conn, VM_WEB)
    assert (server["host"], server["status"]) == ("compute-0", "ACTIVE")
    assert [e["server"] for e in events_of(sim, "migration.failed")] == [VM_WEB]


def test_timeout_then_a_retry_follows_the_running_migration(sim, conn, recorder, step_clock):
    with pytest.raises(cloud.CloudError) as info:
        cloud.live_migrate(conn, VM_ACT, target_host="compute-2", timeout=3, poll=0.5,
                           clock=step_clock)
    assert info.value.code == "timeout"
    assert info.value.details["server"] == VM_ACT
    assert cloud.get_server(conn, VM_ACT)["status"] == "MIGRATING"
    recorder.clear()
    result = cloud.live_migrate(conn, VM_ACT, target_host="compute-2", source_host="compute-0",
                                clock=step_clock, **FAST)
    assert result["dest"] == "compute-2" and result["changed"] is True
    assert recorder.writes() == []
    assert len(events_of(sim, "migration.started")) == 1


def test_cold_migrate_to_a_target_confirms_once(sim, conn, recorder, step_clock):
    result = cloud.cold_migrate(conn, VM_WEB, target_host="compute-2", clock=step_clock, **FAST)
    assert {k: result[k] for k in ("server", "source", "dest", "type", "changed")} == {
        "server": VM_WEB, "source": "compute-0", "dest": "compute-2", "type": "cold",
        "changed": True}
    posts = recorder.matching("POST", f"/servers/{VM_WEB}/action")
    assert [p.json for p in posts] == [{"migrate": {"host": "compute-2"}},
                                       {"confirmResize": None}]
    assert posts[0].microversion_at_least("2.56")
    server = cloud.get_server(conn, VM_WEB)
    assert (server["host"], server["status"], server["vm_state"]) == (
        "compute-2", "ACTIVE", "active")
    assert [e["type"] for e in events_of(sim, "migration.started", "migration.finished",
                                         "migration.confirmed")] == [
        "migration.started", "migration.finished", "migration.confirmed"]


def test_cold_migrate_without_target(conn, recorder, step_clock):
    result = cloud.cold_migrate(conn, VM_STDBY, clock=step_clock, **FAST)
    assert result["dest"] == "compute-2"  # compute-0 holds the other member of the group
    first = recorder.matching("POST", f"/servers/{VM_STDBY}/action")[0]
    assert first.json == {"migrate": None}
    assert 16.0 <= result["duration_s"] <= 17.0  # 2 GiB at 8 s/GiB, plus one poll


def test_failed_cold_migration(sim_url, conn, step_clock):
    inject_fault(sim_url, type="migration_error", host="compute-1", count=1)
    with pytest.raises(cloud.CloudError) as info:
        cloud.cold_migrate(conn, VM_STDBY, clock=step_clock, **FAST)
    assert info.value.code == "migration_failed"
    assert info.value.details["status"] == "error"
    assert cloud.get_server(conn, VM_STDBY)["host"] == "compute-1"


def test_bad_requests(conn, step_clock):
    with pytest.raises(cloud.CloudError) as info:
        cloud.live_migrate(conn, "00000000-0000-4000-8000-000000000000", clock=step_clock)
    assert info.value.code == "not_found"
    with pytest.raises(cloud.CloudError) as info:
        cloud.live_migrate(conn, VM_WEB, block_migration="yes", clock=step_clock)
    assert info.value.code == "bad_request"
    for timing in ({"timeout": "10"}, {"timeout": -1}, {"poll": 0}):
        with pytest.raises(cloud.CloudError) as info:
            cloud.live_migrate(conn, VM_WEB, clock=step_clock, **timing)
        assert info.value.code == "bad_request"
        assert next(iter(timing)) in info.value.message


def test_unknown_target_host_is_a_bad_request(conn, step_clock):
    """Nova answers 400 "Compute host ... could not be found." to both kinds of move."""
    with pytest.raises(cloud.CloudError) as info:
        cloud.cold_migrate(conn, VM_WEB, target_host="compute-9", clock=step_clock, **FAST)
    assert info.value.code == "bad_request"
    with pytest.raises(cloud.CloudError) as info:
        cloud.live_migrate(conn, VM_WEB, target_host="compute-9", clock=step_clock, **FAST)
    assert info.value.code == "bad_request"


def test_already_on_the_target_is_a_no_op(conn, recorder, step_clock):
    result = cloud.cold_migrate(conn, VM_WEB, target_host="compute-0", clock=step_clock, **FAST)
    assert (result["changed"], result["source"], result["dest"]) == (False, "compute-0",
                                                                      "compute-0")
    assert recorder.writes() == []


def test_live_migrate_refuses_a_server_in_the_middle_of_a_cold_move(conn, step_clock):
    conn.compute.migrate_server(VM_WEB)
    with pytest.raises(cloud.CloudError) as info:
        cloud.live_migrate(conn, VM_WEB, clock=step_clock, **FAST)
    assert info.value.code == "conflict"


def test_wait_for_a_vnfm_move(conn, step_clock):
    conn.compute.live_migrate_server(VM_WEB, host="compute-1", block_migration="auto")
    outcome = cloud.wait_server_gone_or_moved(conn, VM_WEB, "compute-0", clock=step_clock, **FAST)
    assert outcome == {"server": VM_WEB, "outcome": "moved", "host": "compute-1"}


def test_a_wait_for_a_move_that_fails_stops_at_once(sim_url, conn, step_clock):
    known = cloud.failed_migration_ids(conn, VM_WEB)
    assert known == set()
    inject_fault(sim_url, type="migration_error", host="compute-0", count=1)
    conn.compute.live_migrate_server(VM_WEB, host="compute-2", block_migration="auto")
    with pytest.raises(cloud.CloudError) as info:
        cloud.wait_server_gone_or_moved(conn, VM_WEB, "compute-0", clock=step_clock,
                                        known_failures=known, **FAST)
    assert info.value.code == "move_failed"
    assert info.value.details["server"] == VM_WEB and info.value.details["source"] == "compute-0"


def test_wait_for_a_vnfm_delete(conn, step_clock):
    conn.compute.delete_server(VM_WEB)
    outcome = cloud.wait_server_gone_or_moved(conn, VM_WEB, "compute-0", clock=step_clock, **FAST)
    assert outcome == {"server": VM_WEB, "outcome": "deleted", "host": None}


def test_wait_for_a_vnfm_that_does_nothing(conn, step_clock):
    with pytest.raises(cloud.CloudError) as info:
        cloud.wait_server_gone_or_moved(conn, VM_WEB, "compute-0", timeout=5, poll=1,
                                        clock=step_clock)
    assert info.value.code == "timeout"
    assert info.value.details == {"server": VM_WEB, "source": "compute-0", "host": "compute-0",
                                  "status": "ACTIVE"}
