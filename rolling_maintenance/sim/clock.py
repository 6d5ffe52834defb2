"""Clocks for the simulator: simulated seconds, either stepped by hand or
running at a multiple of real time.

Everything in the simulator that takes time (migrations, boots, host work,
outages, event timestamps) reads one of these, so a test can step time
deterministically and a demo can compress an hour of maintenance into a
minute.
"""

import threading
import time


class ManualClock:
    """Time moves only when `advance` is called: deterministic tests."""

    speed = None

    def __init__(self, start=0.0):
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self):
        with self._lock:
            return self._now

    def advance(self, seconds):
        if seconds < 0:
            raise ValueError("a clock cannot go back: advance(%r)" % (seconds,))
        with self._lock:
            self._now += float(seconds)
            return self._now


class ScaledClock:
    """Real monotonic time times `speed`, counted from creation."""

    def __init__(self, speed=1.0, start=0.0):
        if not speed or speed <= 0:
            raise ValueError("speed must be a positive number, got %r" % (speed,))
        self.speed = float(speed)
        self._start = float(start)
        self._origin = time.monotonic()

    def now(self):
        return self._start + (time.monotonic() - self._origin) * self.speed
