"""`rolling-maintenance-vnfm` as a process: prints its URL, answers, cleans up on SIGTERM."""

import os
import signal
import subprocess
import sys

from vnfm_support import EMPTY_PROJECT, PROJECT, VM, connect, live_servers, wait_for
from rolling_maintenance.cloud import alarms
from rolling_maintenance.sim.model.servers import DEFAULT_IMAGE


def run_cli(tmp_path, sim, *args):
    clouds = sim.clouds_yaml(str(tmp_path / "clouds.yaml"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    return subprocess.Popen(
        [sys.executable, "-m", "rolling_maintenance.vnfm.cli", "--clouds-yaml", clouds, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def project_alarms(sim, project_id):
    return alarms.aodh(connect(sim, project_id)).alarm.list()


def test_cli_answers_until_sigterm_then_removes_its_alarm(tmp_path, sim, side):
    proc = run_cli(tmp_path, sim, "--cloud", "sim-%s" % PROJECT, "--retry-delay", "0.01")
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), proc.stderr.read()
        [alarm] = project_alarms(sim, PROJECT)
        assert alarm["alarm_actions"] == [url]
        side.instance_ids["s1"] = [VM["vm-a"]]
        assert side.notify(url, "s1", PROJECT, "MAINTENANCE")[0] == 200
        wait_for(lambda: side.replies, what="the reply")
        assert side.replies[0]["body"]["state"] == "ACK_MAINTENANCE"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        proc.stdout.close()
        proc.stderr.close()
    assert project_alarms(sim, PROJECT) == []


def test_cli_deploys_when_asked(tmp_path, sim):
    proc = run_cli(tmp_path, sim, "--cloud", "sim-%s" % EMPTY_PROJECT, "--deploy", "1",
                   "--image", DEFAULT_IMAGE, "--keep-alarm")
    try:
        assert proc.stdout.readline().startswith("http://127.0.0.1:"), proc.stderr.read()
        assert len(live_servers(sim, EMPTY_PROJECT)) == 3
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        proc.stdout.close()
        proc.stderr.close()
    assert len(project_alarms(sim, EMPTY_PROJECT)) == 1


def test_cli_names_an_unknown_cloud(tmp_path, sim):
    proc = run_cli(tmp_path, sim, "--cloud", "sim-nowhere")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1 and out == ""
    assert "sim-nowhere" in err
