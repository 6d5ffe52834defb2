"""The adapters on their default clock against a simulator running faster than real time."""

import pytest

from contract_support import INVENTORY, VM_STDBY, VM_WEB, events_of
from rolling_maintenance import cloud
from rolling_maintenance.sim import ScaledClock, Simulator

SPEED = 200.0


@pytest.fixture
def fast_sim():
    simulator = Simulator.from_inventory(INVENTORY, clock=ScaledClock(speed=SPEED))
    simulator.start()
    yield simulator
    simulator.stop()


def test_moves_in_wall_clock_time(fast_sim):
    conn = cloud.connect(**fast_sim.admin_credentials())
    live = cloud.live_migrate(conn, VM_WEB, target_host="compute-2", timeout=30, poll=0.01)
    cold = cloud.cold_migrate(conn, VM_STDBY, source_host="compute-1", timeout=30, poll=0.01)
    assert (live["dest"], cold["dest"]) == ("compute-2", "compute-2")
    # 4 and 16 simulated seconds at 200x; duration_s is wall-clock time.
    assert 4 / SPEED <= live["duration_s"] < 4
    assert 16 / SPEED <= cold["duration_s"] < 8
    assert [e["type"] for e in events_of(fast_sim, "migration.finished",
                                         "migration.confirmed")] == [
        "migration.finished", "migration.finished", "migration.confirmed"]
