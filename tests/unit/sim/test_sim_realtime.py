"""The simulator on a scaled clock, under concurrent clients."""

import threading
import time

import openstack
import pytest
from simcloud import sid, small_inventory

from rolling_maintenance.sim import ScaledClock, Simulator


def test_scaled_clock_completes_migrations_while_the_client_waits():
    sim = Simulator.from_inventory(small_inventory(), clock=ScaledClock(speed=200.0))
    sim.start()
    try:
        conn = openstack.connect(**sim.admin_credentials())
        conn.compute.live_migrate_server(sid("vm1"), host=None, block_migration="auto")
        started = time.monotonic()
        (migration,) = conn.compute.migrations(server_id=sid("vm1"))
        while migration.status != "completed" and time.monotonic() - started < 5:
            time.sleep(0.005)
            (migration,) = conn.compute.migrations(server_id=sid("vm1"))
        server = conn.compute.get_server(sid("vm1"))
        assert (server.status, server.compute_host) == ("ACTIVE", "compute-2")
        started, done = [e for e in sim.events() if e["type"].startswith("migration.")]
        assert done["type"] == "migration.finished"
        # 4 s to run on the destination, 0.3 s more until the record says completed.
        assert done["t"] - started["t"] == pytest.approx(4.3)
    finally:
        sim.stop()


def test_concurrent_clients_see_a_consistent_cloud():
    sim = Simulator.from_inventory(small_inventory(), clock=ScaledClock(speed=1.0))
    sim.start()
    failures = []

    def client(project):
        try:
            conn = openstack.connect(**sim.project_credentials(project))
            for _ in range(10):
                servers = list(conn.compute.servers())
                if {s.project_id for s in servers} != {project}:
                    failures.append((project, [s.project_id for s in servers]))
        except Exception as exc:  # collected and reported by the assertion below
            failures.append((project, repr(exc)))
    try:
        threads = [threading.Thread(target=client, args=(p,)) for p in ("p1", "p2", "p1", "p2")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert failures == []
    finally:
        sim.stop()
