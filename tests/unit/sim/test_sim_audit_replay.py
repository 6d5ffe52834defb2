"""The simulator's own log, replayed by the audit, gives back the simulator's state:
the writer and the reader of the log mean the same by every event."""

from simcloud import sid

from rolling_maintenance.audit import replay_log


def compute_service(conn, host):
    return next(conn.compute.services(binary="nova-compute", host=host))


def as_seen_by_the_simulator(state):
    hosts = {h["name"]: h for h in state["hosts"]}
    return {
        "where": {s["id"]: s["host"] for s in state["servers"]},
        "used": {name: (h["vcpus_used"], h["ram_mb_used"]) for name, h in hosts.items()},
        "disabled": {name for name, h in hosts.items() if h["status"] == "disabled"},
        "working": {name: h["work"]["label"] for name, h in hosts.items() if h["work"]["state"] == "running"},
        "moving": {m["server"] for m in state["migrations"] if m["status"] != "finished"},
    }


def as_replayed(cloud):
    return {
        "where": {s.id: s.host for s in cloud.servers.values()},
        "used": cloud.usage(),
        "disabled": set(cloud.disabled),
        "working": dict(cloud.working),
        "moving": {s for s in cloud.migrations if cloud.moving(s)},
    }


def test_every_kind_of_event_replays_to_the_simulators_state(cloud):
    initial = cloud.sim.state()
    admin = cloud.admin
    admin.compute.disable_service(compute_service(admin, "compute-0"), disabled_reason="maintenance s1")
    admin.compute.live_migrate_server(sid("vm1"), host=None, block_migration="auto")
    admin.compute.migrate_server(sid("vm3"))
    cloud.http("POST", "/_sim/faults", json={"type": "migration_error", "host": "compute-2"})
    admin.compute.live_migrate_server(sid("vm4"), host=None, block_migration="auto")
    member = cloud.member("p2")
    created = member.compute.create_server(name="new", flavor_id="m1.tiny", image_id="cirros", networks="none")
    cloud.advance(2)
    checkpoints = [(len(cloud.sim.events()), cloud.sim.state())]  # moves under way
    cloud.advance(60)
    admin.compute.confirm_server_resize(sid("vm3"))
    cloud.http("POST", "/_sim/hosts/compute-0/work", json={"label": "upgrade", "duration_s": 30})
    member.compute.delete_server(created.id)
    cloud.advance(1)
    checkpoints.append((len(cloud.sim.events()), cloud.sim.state()))  # work under way
    cloud.advance(40)
    admin.compute.enable_service(compute_service(admin, "compute-0"))
    checkpoints.append((len(cloud.sim.events()), cloud.sim.state()))

    events = cloud.sim.events()
    kinds = {e["type"] for e in events}
    assert {"migration.started", "migration.finished", "migration.confirmed", "migration.failed",
            "server.created", "server.active", "server.deleted", "service.disabled", "service.enabled",
            "host.work.started", "host.work.finished"} <= kinds
    seen = [as_seen_by_the_simulator(state) for _, state in checkpoints]
    assert seen[0]["moving"] and seen[1]["working"] == {"compute-0": "upgrade"} and not seen[2]["disabled"]
    for count, expected in checkpoints:
        replayed = replay_log(initial, events[:count]).cloud
        assert as_replayed(replayed) == as_seen_by_the_simulator(expected)
