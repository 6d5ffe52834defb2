"""Where each kind of caller finds Mistral, and the one line it gets when nothing says."""

import http.server
import json
import threading
import types

import pytest

from rolling_maintenance.cloud.errors import CloudError
from rolling_maintenance.mistral import client

URL = "http://127.0.0.1:8989/v2"


def http_of(mistral):
    return mistral.executions.http_client


def test_a_command_line_uses_os_mistral_url_without_auth():
    http = http_of(client.from_env(environ={"OS_MISTRAL_URL": URL}))
    assert http.base_url == URL and http.auth_token is None
    assert http_of(client.from_env(URL + "/x", environ={})).base_url == URL + "/x"


def test_a_command_line_without_mistral_or_keystone_is_told_what_to_set():
    with pytest.raises(client.NoMistral, match="set OS_MISTRAL_URL .* or the OS_\\* Keystone"):
        client.from_env(environ={})


def test_an_action_uses_the_embedded_stacks_url_and_its_callers_token(monkeypatch):
    monkeypatch.setenv(client.ACTION_URL_ENV, URL)
    context = types.SimpleNamespace(security=types.SimpleNamespace(auth_token="tok"))
    http = http_of(client.for_action(context))
    assert (http.base_url, http.auth_token) == (URL, "tok")


def test_an_action_finds_mistral_in_its_tokens_catalog(monkeypatch):
    monkeypatch.delenv(client.ACTION_URL_ENV, raising=False)
    catalog = [{"type": "compute", "endpoints": [{"interface": "public", "url": "http://nova"}]},
               {"type": "workflowv2", "endpoints": [{"interface": "admin", "url": "http://a"},
                                                    {"interface": "internal", "url": URL}]}]
    context = types.SimpleNamespace(security=types.SimpleNamespace(
        auth_token="tok", service_catalog=catalog))
    assert http_of(client.for_action(context)).base_url == URL


def test_an_action_with_nowhere_to_look_fails_naming_the_variable(monkeypatch):
    monkeypatch.delenv(client.ACTION_URL_ENV, raising=False)
    with pytest.raises(CloudError) as caught:
        client.for_action(types.SimpleNamespace(security=None))
    assert caught.value.code == "no_mistral" and client.ACTION_URL_ENV in caught.value.message


def test_a_service_needs_a_url_or_a_cloud():
    assert http_of(client.for_service(URL)).base_url == URL
    with pytest.raises(client.NoMistral, match="Mistral URL"):
        client.for_service()


class RestartingMistral(http.server.BaseHTTPRequestHandler):
    """Answers 503 (an API not ready yet) to the first requests, then an empty list."""

    def do_GET(self):
        self.server.seen += 1
        ready = self.server.seen > self.server.unavailable
        body = json.dumps({"executions": []}).encode() if ready else b""
        self.send_response(200 if ready else 503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_an_actions_client_rides_through_a_mistral_api_not_ready_yet(monkeypatch):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RestartingMistral)
    httpd.seen, httpd.unavailable = 0, 3
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv(client.ACTION_URL_ENV, "http://127.0.0.1:%d/v2" % httpd.server_address[1])
        monkeypatch.setenv("ROLLING_MAINTENANCE_CLOUD_RETRY_S", "20")
        context = types.SimpleNamespace(security=types.SimpleNamespace(auth_token="tok"))
        assert client.for_action(context).executions.list() == []
        assert httpd.seen == 4
    finally:
        httpd.shutdown()
        httpd.server_close()
