"""The embedded Mistral as an operator meets it: start, CLI, restart, stop, errors."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from rolling_maintenance import status
from rolling_maintenance.embedded import stack
from rolling_maintenance.samples import registry

LAUNCHER = [sys.executable, "-m", "rolling_maintenance.embedded.cli"]


def mistral_cli(mistral, *args):
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "mistral"), *args],
        env=mistral.cli_env(), capture_output=True, text=True, timeout=60, check=True,
    ).stdout


@pytest.fixture(scope="module")
def mistral(tmp_path_factory):
    with stack.EmbeddedMistral(str(tmp_path_factory.mktemp("mistral"))) as running:
        yield running


def test_workbook_is_created_and_listed_by_the_cli(mistral):
    out = mistral_cli(mistral, "workbook-list", "-f", "value", "-c", "Name")
    assert "maintenance" in out.split()
    workflows = mistral_cli(mistral, "workflow-list", "-f", "value", "-c", "Name")
    assert "maintenance.maintain_one_host" in workflows.split()
    # Without --samples, no sample plug-in: neither its workbook nor its action.
    assert registry.WORKBOOK not in out.split()
    actions = mistral_cli(mistral, "action-list", "-f", "value", "-c", "Name").split()
    assert "maintenance.plan_next" in actions
    assert not set(registry.ACTIONS) & set(actions)


def test_the_samples_register_through_the_api_once(mistral):
    with pytest.raises(Exception, match="insufficient permissions"):
        registry.register(mistral.client())
    first = registry.register(mistral.client(admin=True))
    assert first == dict({registry.CODE_SOURCE: "created", registry.WORKBOOK: "created"},
                         **{name: "created" for name in registry.ACTIONS})
    again = registry.register(mistral.client(admin=True))
    assert set(again.values()) == {"unchanged"}
    actions = mistral_cli(mistral, "action-list", "-f", "value", "-c", "Name").split()
    assert set(registry.ACTIONS) <= set(actions)


def test_port_in_use_is_one_line_and_exit_2(tmp_path):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        result = subprocess.run(
            LAUNCHER + ["--port", str(port), "--db", str(tmp_path / "m.sqlite")],
            capture_output=True, text=True, timeout=60)
    finally:
        busy.close()
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["rolling-maintenance-mistral: error: port %d on 127.0.0.1 is already in use" % port]
    assert not (tmp_path / "m.sqlite").exists()


@pytest.mark.parametrize("make_path, expected", [
    (lambda tmp: tmp / "missing" / "m.sqlite", "does not exist"),
    (lambda tmp: tmp, "is a folder"),
])
def test_bad_db_path_is_one_line_and_exit_2(tmp_path, make_path, expected):
    result = subprocess.run(
        LAUNCHER + ["--port", "0", "--db", str(make_path(tmp_path))],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr


def test_a_missing_config_file_is_one_line_and_exit_2(tmp_path):
    result = subprocess.run(
        LAUNCHER + ["--port", "0", "--db", str(tmp_path / "m.sqlite"), "--config-file",
                    str(tmp_path / "keystone.conf")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "rolling-maintenance-mistral: error: config file %s does not exist"
        % (tmp_path / "keystone.conf")]
    assert not (tmp_path / "m.sqlite").exists()


def test_unwritable_db_file_is_refused(tmp_path):
    target = tmp_path / "m.sqlite"
    target.mkdir()
    (target / "x").write_text("")
    result = subprocess.run(
        LAUNCHER + ["--port", "0", "--db", str(target / "x" / "m.sqlite")],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("rolling-maintenance-mistral: error: database")


def test_state_survives_a_restart_and_sigterm_stops_cleanly(tmp_path):
    workdir = str(tmp_path)
    first = stack.EmbeddedMistral(workdir)
    first.start()
    try:
        created = mistral_cli(first, "execution-create", "maintenance.maintain_one_host",
                              '{"host": "nowhere"}', "-f", "value", "-c", "ID").strip()
    finally:
        started = time.monotonic()
        first.process.send_signal(signal.SIGTERM)
        code = first.process.wait(30)
        stop_s = time.monotonic() - started
    assert code == 0
    assert stop_s < 10, "SIGTERM took %.1f s" % stop_s
    second = stack.EmbeddedMistral(workdir, port=0)
    with second:
        listed = mistral_cli(second, "execution-list", "-f", "value", "-c", "ID")
        assert created in listed.split()
        assert "unchanged" in "".join(second.output)


@pytest.mark.parametrize("debug", [False, True], ids=["info", "debug"])
def test_the_log_beside_the_database_tells_what_happened(tmp_path, debug):
    with stack.EmbeddedMistral(str(tmp_path), debug=debug) as running:
        client = running.client()
        # Refused by the input check at once, before any cloud call.
        session_id = client.executions.create(
            "maintenance.rolling", workflow_input={"hosts": "compute-0"}).id
        deadline = time.monotonic() + 60
        while client.executions.get(session_id).state == "RUNNING":
            assert time.monotonic() < deadline, "session %s still RUNNING" % session_id
            time.sleep(0.3)
        reason = status.session_progress(client, session_id)["reason"]
    assert reason
    log = open(running.log_path).read()
    assert " INFO mistral.service.base " in log  # the engine's start
    assert session_id in log
    assert reason.splitlines()[0] in log
    assert (" DEBUG " in log) == debug
