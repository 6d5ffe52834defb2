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
NETWORK_ID = "00000000-0000-4000-8000-0000000000ae"
NEEDS = {"PostgreSQL": 5432, "RabbitMQ": 5672}
# One bed for the whole tier: 8 hosts of two sizes (the sessions with VNFMs need
# them), live migrations of 2 s so a migrating instance is seen migrating, and
# each compute telling the scheduler its instances every 10 s rather than 120 s:
# the scheduler's view still lags a live migration, and the refused moves are
# still tried again, for seconds rather than minutes.
COMPUTES = ([f"compute{i}:8:16384" for i in range(1, 5)]
            + [f"compute{i}:4:8192" for i in range(5, 9)])
BED_SETTINGS = {"TESTBED_LIVE_MIGRATION_S": "2", "TESTBED_COLD_MIGRATION_S": "1",
                "TESTBED_INSTANCE_SYNC_S": "10"}


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
            computes = [arg for spec in COMPUTES for arg in ("--compute", spec)]
            result = subprocess.run([sys.executable, str(TESTBED), "up", *computes],
                                    capture_output=True, text=True, timeout=900,
                                    env=dict(os.environ, **BED_SETTINGS))
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
        """Boot one server of `cloud_name`'s project on the stand-in's network."""
        conn = self.conn(cloud_name)
        attrs = {"name": name, "flavor_id": self._flavor(flavor), "image_id": IMAGE_ID,
                 "networks": [{"uuid": NETWORK_ID}]}
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
        """Delete every server and server group on the bed (the test's, and those its
        VNFMs made), wait until Nova has, and enable every host again."""
        admin = self.conn("admin")
        servers = [s.id for s in admin.compute.servers(all_projects=True)]
        for server_id in servers:
            admin.compute.delete_server(server_id, ignore_missing=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and list(admin.compute.servers(all_projects=True)):
            time.sleep(0.5)
        for group in admin.compute.server_groups(all_projects=True):
            admin.compute.delete_server_group(group.id, ignore_missing=True)
        for service in admin.compute.services(binary="nova-compute"):
            if service.status != "enabled":
                admin.compute.update_service(service, status="enabled")


def run_to_end(mistral, workflow, workflow_input, timeout=900):
    """Start `workflow` on the embedded Mistral and wait until it ends."""
    client = mistral.client()
    execution = client.executions.create(workflow, workflow_input=workflow_input)
    return wait_to_end(mistral, execution.id, timeout)


def wait_to_end(mistral, execution_id, timeout=900):
    client = mistral.client()
    execution = client.executions.get(execution_id)
    deadline = time.monotonic() + timeout
    while execution.state not in ("SUCCESS", "ERROR", "CANCELLED"):
        assert time.monotonic() < deadline, f"{execution_id} still {execution.state}"
        time.sleep(1)
        execution = client.executions.get(execution.id)
    return execution
