"""What `cloud.retry` retries, measured on the wire against a scripted HTTP server:
safe failures are retried for the bound, a change that may have been made is not."""

import http.server
import socket
import threading
import time

import pytest
import requests

from rolling_maintenance.cloud import retry


class Scripted(http.server.BaseHTTPRequestHandler):
    """Answers each request with the next status of `server.script`, then 200."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.seen.append(self.command)
        status, headers = (self.server.script.pop(0) if self.server.script else (200, {}))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    httpd.script, httpd.seen = [], []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = "http://127.0.0.1:%d/compute/v2.1/servers" % httpd.server_address[1]
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def session(bound):
    return retry.mount(requests.Session(), bound=bound)


@pytest.mark.parametrize("method, statuses", [
    ("GET", [503, 502, 504, 429]), ("PUT", [504, 503]), ("DELETE", [502]),
    ("POST", [503, 429])])
def test_safe_failures_are_retried_until_an_answer(server, method, statuses):
    server.script = [(s, {}) for s in statuses]
    response = session(30).request(method, server.url, json={})
    assert response.status_code == 200
    assert server.seen == [method] * (len(statuses) + 1)


@pytest.mark.parametrize("status", [502, 504, 500])
def test_a_post_that_may_have_been_carried_out_is_not_repeated(server, status):
    server.script = [(status, {})]
    response = session(30).post(server.url, json={"os-migrateLive": {}})
    assert response.status_code == status and server.seen == ["POST"]


def test_errors_that_are_not_transient_are_not_retried(server):
    server.script = [(500, {}), (409, {})]
    assert session(30).get(server.url).status_code == 500
    assert session(30).put(server.url).status_code == 409
    assert server.seen == ["GET", "PUT"]


def test_retries_end_after_the_bound_with_the_last_answer(server):
    server.script = [(503, {})] * 1000
    started = time.monotonic()
    response = session(2).get(server.url)
    assert response.status_code == 503
    assert 2 <= time.monotonic() - started < 3.5
    assert len(server.seen) >= 3


def test_a_retry_after_beyond_the_bound_is_cut_to_the_bound(server):
    server.script = [(503, {"Retry-After": "3600"})] * 10
    started = time.monotonic()
    assert session(1).get(server.url).status_code == 503
    assert time.monotonic() - started < 2.5


def test_a_refused_connection_is_retried_for_the_bound_even_for_a_post():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(requests.ConnectionError):
        session(1.5).post("http://127.0.0.1:%d/v2.1/servers" % port, json={})
    assert 1.5 <= time.monotonic() - started < 4


def test_zero_means_no_retry(server):
    server.script = [(503, {})]
    assert session(0).get(server.url).status_code == 503
    assert server.seen == ["GET"]


@pytest.mark.parametrize("value, expected", [(None, 180), ("", 180), ("45", 45), ("0", 0)])
def test_the_bound_comes_from_the_environment(value, expected):
    environ = {} if value is None else {retry.BOUND_ENV: value}
    assert retry.bound_s(environ) == expected


@pytest.mark.parametrize("value", ["soon", "-1", "1e9"])
def test_a_bad_bound_is_named(value):
    with pytest.raises(ValueError, match=retry.BOUND_ENV):
        retry.bound_s({retry.BOUND_ENV: value})
