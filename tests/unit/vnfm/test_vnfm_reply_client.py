"""The reply API client: instance lists, and PUT retries on passing failures only."""

import socket

import pytest

from rolling_maintenance.vnfm.http_open import is_loopback
from rolling_maintenance.vnfm.reply_client import ReplyApiError, ReplyClient
from vnfm_fake_maintenance import FakeMaintenance


@pytest.fixture
def side():
    fake = FakeMaintenance().start()
    yield fake
    fake.stop()


def client(sleeps, **kwargs):
    return ReplyClient(token=lambda: "tok-1", retry_delay=2.5, sleep=sleeps.append, **kwargs)


def test_get_instance_ids_sends_the_token(side):
    side.instance_ids["s1"] = ["i-1", "i-2"]
    sleeps = []
    assert client(sleeps).instance_ids(side.api_url + "/v1/maintenance/s1/p1") == ["i-1", "i-2"]
    assert side.gets == [{"session_id": "s1", "project_id": "p1", "token": "tok-1"}]


def test_put_retries_on_503_until_accepted(side):
    side.put_statuses = [503, 503]
    sleeps = []
    outcome = client(sleeps).put_reply(side.api_url + "/v1/maintenance/s1/p1",
                                       {"state": "ACK_MAINTENANCE", "session_id": "s1"})
    assert outcome["status"] == 200 and outcome["attempts"] == 3
    assert [reply["status"] for reply in side.replies] == [503, 503, 200]
    assert sleeps == [2.5, 2.5]


def test_put_gives_up_after_five_retries(side):
    side.put_statuses = [503] * 10
    sleeps = []
    outcome = client(sleeps).put_reply(side.api_url + "/v1/maintenance/s1/p1", {"state": "ACK_SCALE_IN"})
    assert outcome["status"] == 503 and outcome["attempts"] == 6
    assert len(side.replies) == 6 and len(sleeps) == 5


@pytest.mark.parametrize("status", [400, 409])
def test_put_is_not_retried_on_a_refusal(side, status):
    side.put_statuses = [status, 200]
    sleeps = []
    outcome = client(sleeps).put_reply(side.api_url + "/v1/maintenance/s1/p1", {"state": "ACK_SCALE_IN"})
    assert outcome == {"status": status, "body": {"error": {"message": "scripted %d" % status}},
                       "attempts": 1}
    assert len(side.replies) == 1 and sleeps == []


def test_unreachable_api_is_retried_then_reported():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleeps = []
    outcome = client(sleeps, retries=2).put_reply("http://127.0.0.1:%d/v1/x" % port, {"state": "ACK_X"})
    assert outcome["status"] is None and outcome["attempts"] == 3 and len(sleeps) == 2
    with pytest.raises(ReplyApiError, match="answered None"):
        client(sleeps, retries=0).instance_ids("http://127.0.0.1:%d/v1/x" % port)


def test_get_of_a_wrong_path_is_an_error(side):
    with pytest.raises(ReplyApiError, match="answered 404"):
        client([]).instance_ids(side.api_url + "/nowhere")


def test_negative_retries_are_refused():
    with pytest.raises(ValueError, match="retries must be >= 0"):
        ReplyClient(retries=-1)


def test_loopback_is_reached_directly_even_with_a_proxy_set(side, monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("no_proxy", "")
    side.instance_ids["s1"] = ["i-1"]
    assert client([], retries=0).instance_ids(side.api_url + "/v1/maintenance/s1/p1") == ["i-1"]


@pytest.mark.parametrize("url, loopback", [
    ("http://127.0.0.1:5000/x", True), ("http://localhost/x", True), ("http://[::1]:80/", True),
    ("http://10.0.0.5/x", False), ("https://api.example.org/v1", False)])
def test_is_loopback(url, loopback):
    assert is_loopback(url) is loopback
