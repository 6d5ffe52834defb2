"""The simulated cloud's clock, read over HTTP.

Role changes must be logged on the clock of the cloud's event log, or the
downtime computed from the two is meaningless. The simulator runs faster than
real time and tells its time at `GET <base>/_sim/clock`; a real cloud has no
such page, and there wall-clock time is the right clock.
"""

import json
import logging
import time
import urllib.error
import urllib.parse

from rolling_maintenance.vnfm import http_open

LOG = logging.getLogger(__name__)
CLOCK_PATH = "/_sim/clock"


class SimClock:
    """Callable returning the simulator's `now` (seconds), read from `base_url`."""

    def __init__(self, base_url, timeout=5.0):
        self.url = base_url.rstrip("/") + CLOCK_PATH
        self.timeout = timeout

    def __call__(self):
        with http_open.open_url(self.url, self.timeout) as response:
            body = json.loads(response.read())
        now = body.get("now") if isinstance(body, dict) else None
        if isinstance(now, bool) or not isinstance(now, (int, float)):
            raise ValueError("%s did not return {\"now\": <seconds>}: %r" % (self.url, body))
        return float(now)


def root_of(url):
    parts = urllib.parse.urlsplit(url)
    return "%s://%s" % (parts.scheme, parts.netloc)


def clock_for(auth_url):
    """The simulator's clock when `auth_url` is served by the simulator, else `time.time`."""
    if auth_url:
        clock = SimClock(root_of(auth_url))
        try:
            clock()
            LOG.info("role changes are logged on the simulator's clock (%s)", clock.url)
            return clock
        except (urllib.error.URLError, OSError, ValueError):
            pass
    LOG.info("role changes are logged on the wall clock")
    return time.time
