"""The reply API under clients that misbehave: slow or silent bodies, floods, oversize bodies.

Each answer is a JSON 4xx or 503 naming the problem, and no client holds a
server thread beyond the read timeout.
"""

import json
import socket
import time

import pytest

from api_fake_mistral import EPOCH_NOW, FakeMistral, running_api
from api_http_client import request
from rolling_maintenance import wsgi_server
from rolling_maintenance.api import ReplyAPI
from rolling_maintenance.api import admin_schema
from rolling_maintenance.api import body
from rolling_maintenance.api import constraints_schema
from rolling_maintenance.api import openapi
from rolling_maintenance.api import reply_schema

PATH = "/v1/maintenance/s-1/p-1"
ACK = {"state": "ACK_PLANNED_MAINTENANCE", "instance_actions": {"vm-1": "MIGRATE"}}
TIGHT = wsgi_server.Limits(read_timeout=0.5, max_requests=1, queue_wait=1.0, retry_after=2)


@pytest.fixture
def mistral():
    fake = FakeMistral()
    fake.ask()
    return fake


@pytest.fixture
def tight_api(mistral):
    api = running_api(mistral, limits=TIGHT)
    yield api
    api.stop()


def connect(api):
    return socket.create_connection((api.host, api.port), timeout=5)


def answer(sock):
    """Status, headers (lower-case names) and parsed JSON body of a raw HTTP answer."""
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, payload = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict((k.strip().lower(), v.strip()) for k, v in
                   (line.split(":", 1) for line in lines[1:]))
    return int(lines[0].split()[1]), headers, json.loads(payload)


def put_head(length):
    return ("PUT %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\n\r\n" % (PATH, length)).encode()


def test_a_body_announced_but_never_sent_is_408_within_the_read_timeout(tight_api, mistral):
    sock = connect(tight_api)
    sock.sendall(put_head(100) + b'{"state"')
    started = time.monotonic()
    status, _, got = answer(sock)
    assert status == 408 and got["error"]["code"] == "timeout"
    assert "did not arrive in time" in got["error"]["message"]
    assert time.monotonic() - started < TIGHT.read_timeout + 1
    # The only slot is free again.
    assert request(tight_api.url, "PUT", PATH, ACK)[0] == 200
    assert len(mistral.updates) == 1


def test_a_client_trickling_its_headers_is_cut_off_at_the_read_timeout(tight_api):
    sock = connect(tight_api)
    started = time.monotonic()
    closed = False
    for byte in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            closed = True
            break
        time.sleep(0.05)
        if time.monotonic() - started > TIGHT.read_timeout + 1:
            break
    if not closed:
        sock.settimeout(1)
        try:
            closed = sock.recv(1) == b""
        except OSError:
            closed = True
    assert closed and time.monotonic() - started < TIGHT.read_timeout + 1.5
    assert request(tight_api.url, "GET", "/")[0] == 200


def test_a_request_beyond_the_concurrency_bound_gets_503_with_retry_after(mistral):
    limits = wsgi_server.Limits(read_timeout=2.0, max_requests=1, queue_wait=0.5, retry_after=2)
    with ReplyAPI(mistral_client=mistral, clock=lambda: EPOCH_NOW, limits=limits) as api:
        holder = connect(api)
        holder.sendall(b"GET / HTTP/1.1\r\n")  # holds the only slot until the read timeout
        time.sleep(0.1)
        started = time.monotonic()
        status, got, response = request(api.url, "GET", "/")
        assert status == 503 and response.getheader("Retry-After") == "2"
        assert time.monotonic() - started >= limits.queue_wait, "waited for a slot first"
        assert got["error"]["code"] == "busy"
        assert "answering 1 requests already" in got["error"]["message"]
        started = time.monotonic()
        assert request(api.url, "GET", "/")[0] == 503
        assert time.monotonic() - started < limits.queue_wait, "still full: refused at once"
        time.sleep(limits.read_timeout)
        assert request(api.url, "GET", "/")[0] == 200
        holder.close()


def test_a_body_shorter_than_its_content_length_is_400(tight_api, mistral):
    sock = connect(tight_api)
    sock.sendall(put_head(100) + b'{"state": "ACK_PLANNED_MAINTENANCE"}')
    sock.shutdown(socket.SHUT_WR)
    status, _, got = answer(sock)
    assert status == 400 and "fewer than its Content-Length 100" in got["error"]["message"]
    assert mistral.updates == []


def test_an_oversize_body_sent_in_full_still_gets_its_413(tight_api, mistral):
    size = body.MAX_BODY_BYTES + 1
    sock = connect(tight_api)
    sock.sendall(put_head(size))
    try:
        sock.sendall(b" " * size)
    except OSError:
        pass  # the server may answer before reading it all; the answer must still arrive
    status, _, got = answer(sock)
    assert status == 413 and "larger than 1048576 bytes" in got["error"]["message"]
    assert mistral.updates == []


def test_an_echoed_value_is_cut_in_the_message(tight_api):
    status, got, _ = request(tight_api.url, "PUT", PATH, {"state": "x" * 100000})
    assert status == 400 and got["error"]["message"].startswith("state must be ACK_<STATE>")
    assert len(got["error"]["message"]) == 500 and got["error"]["message"].endswith("...")


def test_the_openapi_description_is_built_from_the_validation_schemas(tight_api):
    status, got, _ = request(tight_api.url, "GET", openapi.PATH)
    assert status == 200 and got["openapi"] == "3.1.0"
    assert got["components"]["schemas"]["Reply"] == reply_schema.SCHEMA
    assert got["components"]["schemas"]["InstanceGroup"] == constraints_schema.GROUP_SCHEMA
    assert got["components"]["schemas"]["Instance"] == constraints_schema.INSTANCE_SCHEMA
    assert got["components"]["schemas"]["MaintenanceSession"] == admin_schema.SCHEMA
    assert "within 0.5 s" in got["info"]["description"]
    assert "at most 1 requests" in got["info"]["description"]
    assert sorted(got["paths"]) == [
        "/", "/v1/instance", "/v1/instance/{instance_id}", "/v1/instance_group",
        "/v1/instance_group/{group_id}", "/v1/maintenance", "/v1/maintenance/{session_id}",
        "/v1/maintenance/{session_id}/detail", "/v1/maintenance/{session_id}/{project_id}",
        openapi.PATH]


def test_every_path_of_the_description_is_served(tight_api):
    described = request(tight_api.url, "GET", openapi.PATH)[1]["paths"]
    for template, operations in described.items():
        path = template.replace("{", "").replace("}", "")
        for method in operations:
            if method == "parameters":
                continue
            status = request(tight_api.url, method.upper(), path,
                             ACK if method == "put" else None)[0]
            assert str(status) in operations[method]["responses"], (method, template, status)
            assert status != 405, (method, template)
