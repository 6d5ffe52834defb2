"""The rolling-maintenance-sim command, as a separate process."""

import json
import re
import signal
import subprocess
import sys

import requests

from rolling_maintenance.sim import cli


def test_serves_a_generated_cloud_until_sigterm(tmp_path):
    clouds = tmp_path / "clouds.yaml"
    proc = subprocess.Popen(
        [sys.executable, "-m", "rolling_maintenance.sim.cli", "--hosts", "3", "--instances-per-host", "2",
         "--speed", "100", "--clouds-yaml", str(clouds)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(11)]
        url = re.search(r"at (http://127\.0\.0\.1:\d+)", lines[0]).group(1)
        assert "export OS_AUTH_URL=%s/identity/v3\n" % url in lines
        assert "export OS_USERNAME=admin\n" in lines
        state = requests.get(url + "/_sim/state", timeout=5).json()
        assert len(state["hosts"]) == 3 and len(state["servers"]) == 6
        assert state["speed"] == 100.0
        assert "sim-admin" in clouds.read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_reads_an_inventory_file_and_reports_bad_ones(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"hosts": [{"name": "h", "vcpus": 0, "ram_mb": 1}]}))
    assert cli.main(["--inventory", str(bad)]) == 2
    assert "hosts[0].vcpus must be a positive integer" in capsys.readouterr().err
    assert cli.main(["--inventory", str(tmp_path / "missing.yaml")]) == 2
    assert "cannot read inventory" in capsys.readouterr().err
