"""Polling with a deadline, on a clock that tests can replace.

Nova answers 202 and works in the background, so every change we ask for is
followed by polling until the cloud shows the result or the deadline passes.
"""

import time

from rolling_maintenance.cloud.errors import CloudError


class RealClock:
    """Wall-clock time: `now()` in seconds (monotonic) and `sleep(seconds)`."""

    def now(self):
        return time.monotonic()

    def sleep(self, seconds):
        time.sleep(seconds)


REAL_CLOCK = RealClock()


class Deadline:
    """`timeout` seconds from now on `clock`; `pause()` sleeps one poll interval."""

    def __init__(self, timeout, poll, clock=None):
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0:
            raise CloudError("bad_request",
                             f"timeout must be a number of seconds >= 0, got {timeout!r}")
        if isinstance(poll, bool) or not isinstance(poll, (int, float)) or poll <= 0:
            raise CloudError("bad_request", f"poll must be a number of seconds > 0, got {poll!r}")
        self.clock = clock or REAL_CLOCK
        self.poll = poll
        self.started = self.clock.now()
        self.ends = self.started + timeout

    def elapsed(self):
        return self.clock.now() - self.started

    def expired(self):
        return self.clock.now() >= self.ends

    def pause(self):
        remaining = self.ends - self.clock.now()
        self.clock.sleep(max(0.0, min(self.poll, remaining)))
