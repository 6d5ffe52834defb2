"""Host work on the simulated cloud, for the sample host plug-in.

A real cloud upgrades a host with its own tooling (a plug-in workflow that
runs it, see the README); the simulator stands for that with timed work on
the host, visible in its event log, so tests can see which plug-in ran where
and in what order. Its control API under `/_sim/` exists only there.
"""

import time

from rolling_maintenance.cloud.errors import CloudError


def simulator_base(conn):
    """The simulator's base URL: its Keystone lives under `<base>/identity`."""
    auth_url = conn.config.auth.get("auth_url") or ""
    if "/identity" not in auth_url:
        raise CloudError("not_simulated", "this cloud is not the simulator (auth_url %s)" % auth_url)
    return auth_url.split("/identity", 1)[0]


def run_host_work(conn, host, label, duration_s, timeout=3600, poll=0.2, key=None):
    """Start simulated work on `host` and wait until the simulator says done.

    Idempotent, as a host plug-in must be (a plug-in cut off by a crash is
    run again): the work `label` already started for `key` (the session) is
    waited for, not started twice."""
    url = "%s/_sim/hosts/%s/work" % (simulator_base(conn), host)
    current = conn.session.get(url, authenticated=False).json()
    if not (key and current.get("key") == key and current.get("label") == label):
        response = conn.session.post(url, json={"label": label, "duration_s": duration_s, "key": key},
                                     authenticated=False, raise_exc=False)
    else:
        response = None
    if response is not None and response.status_code >= 400:
        raise CloudError("host_work_failed", "host work on %s: %s" % (host, response.text),
                         {"host": host, "status": response.status_code})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = conn.session.get(url, authenticated=False).json()
        if state.get("state") == "done":
            return {"host": host, "label": label, "started_at": state.get("started_at"),
                    "ended_at": state.get("ends_at")}
        time.sleep(poll)
    raise CloudError("timeout", "host work %s on %s did not end in %ss" % (label, host, timeout),
                     {"host": host, "label": label})
