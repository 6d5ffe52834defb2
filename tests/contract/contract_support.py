"""Helpers shared by the contract tests: the test inventory, a stepping clock, a recorder.

The recorder sits at the bottom of the HTTP stack (`requests.Session.send`),
under keystoneauth and the clients, so what it sees is exactly what goes on
the wire: method, path, query, microversion header and JSON body.
"""

import json
import urllib.parse

import requests

PROJECT_A = "project-a"
PROJECT_B = "project-b"
GROUP_HA = "0b5f0c64-7a53-4c38-9a51-6f0c0e1b7a01"
VM_ACT = "5a0d3c1e-1f2b-4e6a-8c7d-9e0f1a2b3c01"
VM_STDBY = "5a0d3c1e-1f2b-4e6a-8c7d-9e0f1a2b3c02"
VM_WEB = "5a0d3c1e-1f2b-4e6a-8c7d-9e0f1a2b3c03"

# Nova's defaults: CPU allocation ratio 4.0 and 512 MB reserved per host.
NOVA_DEFAULTS = {"cpu_allocation_ratio": 4.0, "ram_allocation_ratio": 1.0,
                 "reserved_host_memory_mb": 512}

INVENTORY = {
    "hosts": [
        dict(name="compute-0", vcpus=16, ram_mb=32768, **NOVA_DEFAULTS),
        dict(name="compute-1", vcpus=16, ram_mb=32768, **NOVA_DEFAULTS),
        dict(name="compute-2", vcpus=16, ram_mb=32768, **NOVA_DEFAULTS),
    ],
    # Real-looking uuids, so the simulator keeps them as they are.
    "groups": [
        {"group_id": GROUP_HA, "project_id": PROJECT_A, "name": "ha-pair",
         "policy": "anti-affinity"},
    ],
    "instances": [
        {"id": VM_ACT, "name": "act", "project_id": PROJECT_A, "host": "compute-0",
         "vcpus": 2, "ram_mb": 2048, "group_id": GROUP_HA},
        {"id": VM_STDBY, "name": "stdby", "project_id": PROJECT_A, "host": "compute-1",
         "vcpus": 2, "ram_mb": 2048, "group_id": GROUP_HA},
        {"id": VM_WEB, "name": "web", "project_id": PROJECT_B, "host": "compute-0",
         "vcpus": 1, "ram_mb": 1024, "group_id": None},
    ],
    "timing": {"live_migration_s_per_gib": 4.0, "cold_migration_s_per_gib": 8.0,
               "migration_min_s": 2.0, "boot_s": 3.0},
}


class StepClock:
    """The adapters' clock in tests: sleeping advances the simulator's ManualClock.

    Polling loops then run in simulated time, instantly and deterministically.
    """

    def __init__(self, manual):
        self.manual = manual

    def now(self):
        return self.manual.now()

    def sleep(self, seconds):
        self.manual.advance(seconds)


class Request:
    def __init__(self, prepared):
        parts = urllib.parse.urlsplit(prepared.url)
        self.method = prepared.method
        self.url = prepared.url
        self.path = parts.path
        self.query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        self.headers = dict(prepared.headers)
        self.microversion = (prepared.headers.get("OpenStack-API-Version")
                             or prepared.headers.get("X-OpenStack-Nova-API-Version"))
        body = prepared.body
        if isinstance(body, bytes):
            body = body.decode()
        self.body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def microversion_at_least(self, wanted):
        """True when the request asked for compute microversion `wanted` or later."""
        if not self.microversion:
            return False
        asked = self.microversion.split()[-1]
        return tuple(map(int, asked.split("."))) >= tuple(map(int, wanted.split(".")))

    def __repr__(self):
        query = urllib.parse.urlencode(self.query)
        return (f"{self.method} {self.path}{'?' + query if query else ''} "
                f"[mv: {self.microversion}] {self.body or ''}")


class Recorder:
    """Every HTTP request the clients send while recording."""

    def __init__(self):
        self.requests = []

    def install(self, monkeypatch):
        """Record every request sent through `requests`, calling through to the real send."""
        real_send = requests.Session.send

        def send(session, prepared, **kwargs):
            self.requests.append(Request(prepared))
            return real_send(session, prepared, **kwargs)

        monkeypatch.setattr(requests.Session, "send", send)
        return self

    def clear(self):
        self.requests.clear()

    def matching(self, method, path_suffix):
        return [r for r in self.requests
                if r.method == method and r.path.endswith(path_suffix)]

    def one(self, method, path_suffix):
        found = self.matching(method, path_suffix)
        assert len(found) == 1, (
            f"expected one {method} *{path_suffix}, got {len(found)}: {self.requests}")
        return found[0]

    def writes(self):
        return [r for r in self.requests if r.method in ("POST", "PUT", "PATCH", "DELETE")
                and not r.path.endswith("/auth/tokens")]


def inject_fault(sim_url, **spec):
    """Arm a simulator fault through its control API, as the demo and tests do."""
    response = requests.post(sim_url.rstrip("/") + "/_sim/faults", json=spec, timeout=10)
    assert response.status_code < 300, response.text
    return response.json()


def events_of(sim, *types, since=0):
    """The simulator's events of the given types, in order."""
    return [e for e in sim.events(since=since) if e["type"] in types]
