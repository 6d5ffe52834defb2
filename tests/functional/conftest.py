"""Shared pieces of the end-to-end tests: the simulated cloud and Mistral."""

import os
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

MISTRAL_CLI = os.path.join(os.path.dirname(sys.executable), "mistral")


def pair_inventory(vm_d_host):
    """Three hosts, an anti-affinity pair on compute-0 and compute-1 and two
    single instances: vm-c on compute-0, vm-d on `vm_d_host`."""
    return {
        "hosts": [{"name": "compute-%d" % i, "vcpus": 8, "ram_mb": 16384} for i in range(3)],
        "groups": [{"group_id": "pair", "project_id": "p1", "name": "pair", "policy": "anti-affinity"}],
        "instances": [
            {"id": "vm-a", "project_id": "p1", "host": "compute-0", "vcpus": 2, "ram_mb": 2048,
             "group_id": "pair"},
            {"id": "vm-b", "project_id": "p1", "host": "compute-1", "vcpus": 2, "ram_mb": 2048,
             "group_id": "pair"},
            {"id": "vm-c", "project_id": "p2", "host": "compute-0", "vcpus": 1, "ram_mb": 1024},
            {"id": "vm-d", "project_id": "p2", "host": vm_d_host, "vcpus": 1, "ram_mb": 4096},
        ],
        "timing": {"live_migration_s_per_gib": 4, "migration_min_s": 2},
    }


def mistral_cli(env, *args, timeout=60):
    """Run python-mistralclient's own CLI, as an admin would, and return stdout."""
    result = subprocess.run([MISTRAL_CLI, *args], env=env.mistral.cli_env(),
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError("mistral %s failed: %s" % (" ".join(args), result.stderr))
    return result.stdout


def wait_for_execution(env, execution_id, timeout=180, states=("SUCCESS", "ERROR", "CANCELLED")):
    client = env.mistral.client()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        execution = client.executions.get(execution_id)
        if execution.state in states:
            return execution
        time.sleep(0.3)
    raise AssertionError("execution %s still %s after %ss" % (execution_id, execution.state, timeout))


def http_call(method, url, body=None):
    """One JSON request to a service of the stack, past any proxy: `(status, body or None)`."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())
