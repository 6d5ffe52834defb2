"""The two clocks."""

import pytest

from rolling_maintenance.sim import ManualClock, ScaledClock


def test_manual_clock_moves_only_when_told():
    clock = ManualClock(start=5.0)
    assert clock.now() == 5.0
    assert clock.advance(2.5) == 7.5
    assert clock.now() == 7.5
    with pytest.raises(ValueError, match="cannot go back"):
        clock.advance(-1)


def test_scaled_clock_runs_faster_than_real_time(monkeypatch):
    ticks = iter([100.0, 100.5])
    monkeypatch.setattr("rolling_maintenance.sim.clock.time.monotonic", lambda: next(ticks))
    clock = ScaledClock(speed=50.0)
    assert clock.now() == pytest.approx(25.0)
    assert clock.speed == 50.0


def test_scaled_clock_rejects_a_non_positive_speed():
    with pytest.raises(ValueError, match="speed"):
        ScaledClock(speed=0)
