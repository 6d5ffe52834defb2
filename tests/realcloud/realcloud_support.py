"""The test bed (tools/testbed) from the tests' side, and the workload booted on it.

Verdicts in tests/realcloud come from what Nova recorded: os-migrations,
os-instance-actions, os-services and os-server-groups, read with plain
requests at a stated microversion (tests/shared/nova_contract.NovaRecords),
not through the adapters under test.
"""

import json
import os
import pathlib
import socket
import subprocess
import sys
import time
import warnings

import openstack
import openstack.config
import openstack.connection

ROOT = pathlib.Path(__file__).resolve().parents[2]
TESTBED = ROOT / "tools" / "testbed"
IMAGE_ID = "00000000-0000-4000-8000-00000000cafe"
NEEDS = {"PostgreSQL": 5432, "RabbitMQ": 5672}


def missing_services():
    """Why the test bed cannot start here, or None."""
    missing = [f"{name} on 127.0.0.1:{port}" for name, port in NEEDS.items()
               if not _listens(port)]
    for command in ("psql", "rabbitmqctl"):
        if not _on_path(command):
            missing.append(f"the {command} command")
    return ("the real-cloud test bed needs " + ", ".join(missing)) if missing else None


def _listens(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _on_path(command):
    return any(os.access(os.path.join(d, command), os.X_OK)
               for d in os.environ.get("PATH", "").split(os.pathsep) if d)


class TestBed:
    """A running test bed: started here (and stopped at the end), or one already up."""

    def __init__(self):
        self.started_here = False
        self.status = None

    def start(self):
        self.status = self._status()
        if not self.status["up"]:
            started = time.monotonic()
            result = subprocess.run([sys.executable, str(TESTBED), "up"], capture_output=True,
                                    text=True, timeout=900)
            if result.returncode != 0:
                raise RuntimeError(f"tools/testbed up failed:\n{result.stdout}{result.stderr}")
            self.started_here = True
            self.status = self._status()
            self.status["start_s"] = round(time.monotonic() - started, 1)
        return self

    def stop(self):
        if self.started_here:
            subprocess.run([sys.executable, str(TESTBED), "down"], capture_output=True,
                           timeout=120)

    @staticmethod
    def _status():
        result = subprocess.run([sys.executable, str(TESTBED), "status"], capture_output=True,
                                text=True, timeout=60)
        return json.loads(result.stdout)

    @property
    def clouds_yaml(self):
        return self.status["clouds_yaml"]

    @property
    def hosts(self):
        return {c["name"]: c for c in self.status["computes"]}

    @property
    def maintenance_port(self):
        return self.status["ports"]["maintenance"]

    def connect(self, cloud_name="admin"):
        warnings.filterwarnings("ignore", module="openstack")
        config = openstack.config.OpenStackConfig(config_files=[self.clouds_yaml],
                                                  load_envvars=False)
        return openstack.connection.Connection(config=config.get_one(cloud_name))


class Workload:
    """Servers and server groups booted for a test, deleted at the end."""

    def __init__(self, testbed):
        self.testbed = testbed
        self.servers = []
        self.groups = []
        self._conns = {}

    def conn(self, cloud_name):
        if cloud_name not in self._conns:
            self._conns[cloud_name] = self.testbed.connect(cloud_name)
        return self._conns[cloud_name]

    def group(self, cloud_name, name, policy="anti-affinity"):
        group = self.conn(cloud_name).compute.create_server_group(name=name, policy=policy)
        self.groups.append((cloud_name, group.id))
        return group.id

    def boot(self, cloud_name, name, flavor="m1.small", group_id=None):
        """Boot one server of `cloud_name`'s project (no network: the stand-in has none)."""
        conn = self.conn(cloud_name)
        attrs = {"name": name, "flavor_id": self._flavor(flavor), "image_id": IMAGE_ID,
                 "networks": "none"}
        if group_id:
            attrs["scheduler_hints"] = {"group": group_id}
        server = conn.compute.create_server(**attrs)
        self.servers.append(server.id)
        return server.id

    def wait_active(self, server_ids, timeout=120):
        admin = self.conn("admin")
        deadline = time.monotonic() + timeout
        pending = set(server_ids)
        while pending and time.monotonic() < deadline:
            for server_id in list(pending):
                server = admin.compute.get_server(server_id)
                if server.status == "ERROR":
                    raise AssertionError(f"server {server_id} went to ERROR: {server.fault}")
                if server.status == "ACTIVE" and not server.task_state:
                    pending.discard(server_id)
            time.sleep(0.5)
        assert not pending, f"servers not ACTIVE after {timeout} s: {sorted(pending)}"

    def _flavor(self, name):
        return self.conn("admin").compute.find_flavor(name, ignore_missing=False).id

    def delete_all(self, timeout=120):
        """Delete what the test made, wait until Nova has, and enable every host again."""
        admin = self.conn("admin")
        for server_id in self.servers:
            admin.compute.delete_server(server_id, ignore_missing=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(
                admin.compute.find_server(s, all_projects=True) for s in self.servers):
            time.sleep(0.5)
        for cloud_name, group_id in self.groups:
            self.conn(cloud_name).compute.delete_server_group(group_id, ignore_missing=True)
        for service in admin.compute.services(binary="nova-compute"):
            if service.status != "enabled":
                admin.compute.update_service(service, status="enabled")
