"""The reply API over HTTP: routes, JSON errors, auth modes, Mistral down, and the command line."""

import os
import signal
import socket
import subprocess
import sys

import pytest

from api_fake_mistral import FakeMistral, running_api
from api_http_client import request
from rolling_maintenance.api import ReplyAPI

PATH = "/v1/maintenance/s-1/p-1"
ACK = {"state": "ACK_PLANNED_MAINTENANCE", "instance_actions": {"vm-1": "MIGRATE"}}


@pytest.fixture
def mistral():
    fake = FakeMistral()
    fake.ask()
    return fake


@pytest.fixture
def open_api(mistral):
    api = running_api(mistral)
    yield api
    api.stop()


@pytest.fixture
def keystone_api(mistral, fake_keystone):
    api = running_api(mistral, auth="keystone")
    yield api
    api.stop()


def test_get_and_put_over_http(open_api, mistral):
    status, body, _ = request(open_api.url, "GET", PATH)
    assert status == 200 and body["instance_ids"] == ["vm-1", "vm-2"]
    status, body, _ = request(open_api.url, "PUT", PATH, ACK)
    assert status == 200 and body["accepted"] is True
    status, body, _ = request(open_api.url, "PUT", PATH, ACK)
    assert status == 200 and body["repeated"] is True
    assert len(mistral.updates) == 1


def test_versions_and_unknown_paths(open_api):
    assert request(open_api.url, "GET", "/")[:2] == (
        200, {"versions": [{"id": "v1", "status": "CURRENT"}]})
    for path in ("/v1/maintenance/s-1", "/v1/maintenance/s-1/p-1/extra", "/v2/x/s/p",
                 "/v1/maintenance//p-1"):
        status, body, _ = request(open_api.url, "GET", path)
        assert status == 404 and body["error"]["code"] == "not_found", path


def test_other_methods_are_405_with_allow(open_api):
    status, body, response = request(open_api.url, "POST", PATH, ACK)
    assert status == 405 and response.getheader("Allow") == "GET, PUT"
    assert body == {"error": {"code": "method_not_allowed",
                              "message": "POST is not allowed here; use GET or PUT"}}


@pytest.mark.parametrize("raw, headers, status, words", [
    (b"", {}, 400, "the body is empty"),
    (b"{}", {"Content-Length": "many"}, 400, "Content-Length"),
    # Only the declared size: a server refusing a body may close before reading it.
    (b"{}", {"Content-Length": str(1024 * 1024 + 1)}, 413, "larger than"),
    (b'{"state": "ACK"}', {}, 400, "state must be"),
])
def test_bad_bodies_are_json_errors(open_api, mistral, raw, headers, status, words):
    got, body, _ = request(open_api.url, "PUT", PATH, raw=raw, headers=headers)
    assert got == status and words in body["error"]["message"]
    assert mistral.updates == []


def test_keystone_mode_lets_a_project_act_only_for_itself(keystone_api, mistral, fake_keystone):
    own = fake_keystone.headers("p-1", "member,reader")
    other = fake_keystone.headers("p-2")
    status, body, _ = request(keystone_api.url, "PUT", PATH, ACK, headers=other)
    assert status == 403 and body["error"]["code"] == "forbidden"
    assert request(keystone_api.url, "GET", PATH, headers=other)[0] == 403
    assert request(keystone_api.url, "PUT", PATH, ACK)[0] == 401
    assert request(keystone_api.url, "PUT", PATH, ACK,
                   headers={"X-Auth-Token": "not-a-token"})[0] == 401
    assert mistral.updates == []
    assert request(keystone_api.url, "GET", PATH, headers=own)[0] == 200
    assert request(keystone_api.url, "PUT", PATH, ACK, headers=own)[0] == 200
    assert len(mistral.updates) == 1


def test_keystone_mode_never_trusts_identity_headers_a_client_sets(keystone_api, mistral,
                                                                  fake_keystone):
    forged = {"X-Identity-Status": "Confirmed", "X-Project-Id": "p-1", "X-Roles": "admin",
              "X-Tenant-Id": "p-1", "X-Is-Admin-Project": "True"}
    status, body, _ = request(keystone_api.url, "PUT", PATH, ACK, headers=forged)
    assert status == 401 and body["error"]["code"] == "unauthorized"
    # A valid token of another project: auth_token replaces the forged headers with its own.
    status, body, _ = request(keystone_api.url, "PUT", PATH, ACK,
                              headers=dict(forged, **fake_keystone.headers("p-2")))
    assert status == 403 and "project p-2 may not act for project p-1" in body["error"]["message"]
    assert mistral.updates == []


def test_keystone_mode_lets_an_admin_act_for_any_project(keystone_api, mistral, fake_keystone):
    admin = fake_keystone.headers("admin-p", "reader,Admin")
    assert request(keystone_api.url, "PUT", PATH, ACK, headers=admin)[0] == 200
    assert len(mistral.updates) == 1


def test_keystone_mode_needs_its_configuration(mistral):
    with pytest.raises(ValueError, match=r"auth keystone needs a \[keystone_authtoken\]"):
        ReplyAPI(mistral_client=mistral, auth="keystone")


def test_no_auth_mode_ignores_identity_headers(open_api, mistral):
    status, _, _ = request(open_api.url, "PUT", PATH, ACK, headers={"X-Project-Id": "p-2"})
    assert status == 200 and len(mistral.updates) == 1


def test_unknown_auth_mode_is_refused(mistral):
    with pytest.raises(ValueError, match="auth must be one of none, keystone"):
        ReplyAPI(mistral_client=mistral, auth="basic")


def free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_mistral_down_is_503_not_500():
    api = ReplyAPI("http://127.0.0.1:%d/v2" % free_port())
    api.start()
    try:
        status, body, _ = request(api.url, "PUT", PATH, ACK)
        assert status == 503 and body["error"]["code"] == "mistral_unavailable"
        assert request(api.url, "GET", PATH)[0] == 503
        assert request(api.url, "PUT", PATH, raw=b"nope")[0] == 400
    finally:
        api.stop()


CLI = [sys.executable, "-m", "rolling_maintenance.api.cli"]


def write_api_conf(tmp_path, text):
    path = tmp_path / "api.conf"
    path.write_text(text)
    return str(path)


def test_command_line_serves_until_sigterm(tmp_path):
    import fake_keystone

    env = dict(os.environ, OS_MISTRAL_URL="http://127.0.0.1:%d/v2" % free_port())
    conf = write_api_conf(tmp_path, fake_keystone.CONFIG)
    process = subprocess.Popen(CLI + ["--port", "0", "--auth", "keystone", "--config-file", conf,
                                      "--read-timeout", "2.5", "--max-requests", "3"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        assert first.startswith("Reply API: http://127.0.0.1:"), first
        assert "auth keystone" in first and "read timeout 2.5 s, 3 requests at once" in first
        assert process.stdout.readline().strip() == "Ready."
        url = first.split()[2]
        assert request(url, "GET", "/")[0] == 200
        forged = {"X-Identity-Status": "Confirmed", "X-Project-Id": "p-1", "X-Roles": "admin"}
        assert request(url, "GET", PATH, headers=forged)[0] == 401
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(10)
    assert code == 0


@pytest.mark.parametrize("args, words", [
    ([], "give --mistral-url"),
    (["--mistral-url", "http://127.0.0.1:1/v2", "--port", "BUSY"], "cannot listen on"),
])
def test_command_line_errors_are_one_line(args, words):
    env = {k: v for k, v in os.environ.items() if k != "OS_MISTRAL_URL"}
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    args = [str(busy.getsockname()[1]) if a == "BUSY" else a for a in args]
    try:
        result = subprocess.run(CLI + args, env=env, capture_output=True, text=True, timeout=30)
    finally:
        busy.close()
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rolling-maintenance-api: error: ")
    assert words in lines[0]


@pytest.mark.parametrize("conf, words", [
    (None, "auth keystone needs a config file with a [keystone_authtoken] section"),
    ("missing", "config file missing.conf does not exist"),
    ("[DEFAULT]\ndebug = true\n", "has no [keystone_authtoken] section"),
    ("[keystone_authtoken]\nauth_type = password\n", "[keystone_authtoken] needs "
                                                      "www_authenticate_uri (in "),
    ("[keystone_authtoken]\nwww_authenticate_uri = http://127.0.0.1:9/v3\n",
     "[keystone_authtoken] needs auth_type"),
    ("[keystone_authtoken]\nwww_authenticate_uri = http://127.0.0.1:9/v3\n"
     "auth_type = password\n", "[keystone_authtoken] with auth_type password needs auth_url"),
    ("[keystone_authtoken]\nwww_authenticate_uri = http://127.0.0.1:9/v3\n"
     "auth_type = kerberos-ish\n", "[keystone_authtoken] auth_type: "),
    ("[keystone_authtoken\n", "cannot read "),
])
def test_command_line_refuses_an_incomplete_keystone_configuration(tmp_path, conf, words):
    args = ["--mistral-url", "http://127.0.0.1:1/v2", "--auth", "keystone"]
    if conf == "missing":
        args += ["--config-file", "missing.conf"]
    elif conf is not None:
        args += ["--config-file", write_api_conf(tmp_path, conf)]
    result = subprocess.run(CLI + args, capture_output=True, text=True, timeout=30,
                            cwd=str(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("rolling-maintenance-api: error: ") and words in lines[-1], lines


def test_command_line_takes_a_config_file_only_with_keystone(tmp_path):
    import fake_keystone

    result = subprocess.run(CLI + ["--mistral-url", "http://127.0.0.1:1/v2", "--config-file",
                                   write_api_conf(tmp_path, fake_keystone.CONFIG)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip() == ("rolling-maintenance-api: error: "
                                     "--config-file is for --auth keystone")


@pytest.mark.parametrize("args, words", [
    (["--max-requests", "0"], "argument --max-requests: must be above 0, got 0"),
    (["--read-timeout", "-1"], "argument --read-timeout: must be above 0, got -1"),
    (["--read-timeout", "soon"], "argument --read-timeout: invalid float value: 'soon'"),
])
def test_command_line_refuses_limits_that_are_not_positive(args, words):
    result = subprocess.run(CLI + ["--mistral-url", "http://127.0.0.1:1/v2"] + args,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == "rolling-maintenance-api: error: " + words
