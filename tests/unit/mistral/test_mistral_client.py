"""Where each kind of caller finds Mistral, and the one line it gets when nothing says."""

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
