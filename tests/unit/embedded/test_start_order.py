"""The embedded Mistral starts its engine only once its API listens, and finds the
tasks a kill left unstarted, and gives back the delayed calls it left taken,
before the engine exists."""

import socket
import threading
import time

import pytest

from rolling_maintenance.embedded import recovery, server


class Launcher:
    """Starts each service in a thread of its own, as oslo.service's Launcher does."""

    def launch_service(self, service):
        threading.Thread(target=service.start, daemon=True).start()


class SlowApi:
    """An API that takes a while to bind, as on a loaded machine."""

    def __init__(self, events):
        self.events = events
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.address = self.sock.getsockname()

    def start(self):
        time.sleep(0.5)
        self.sock.listen()
        self.events.append("api listens")


class Engine:
    def __init__(self, events, api_address):
        self.events = events
        self.api_address = api_address
        self.started = threading.Event()

    def start(self):
        try:
            socket.create_connection(self.api_address, timeout=1).close()
            self.events.append("engine starts, API answers")
        except OSError:
            self.events.append("engine starts, API refuses")
        self.started.set()


def test_engine_starts_after_the_api_listens_and_lost_starts_are_found_before(monkeypatch):
    events = []
    api = SlowApi(events)
    monkeypatch.setattr(recovery, "orphaned_tasks", lambda: events.append("orphans found") or ["t1"])
    monkeypatch.setattr(recovery, "start_tasks", lambda tasks: events.append("restart %s" % tasks))
    monkeypatch.setattr(recovery, "unfinished_executions",
                        lambda: events.append("unfinished found") or (["wf1"], []))
    monkeypatch.setattr(recovery, "release_taken_calls", lambda: events.append("taken calls released"))
    monkeypatch.setattr(recovery, "finish_executions",
                        lambda ids, engine: events.append("finish %s" % (ids,)))

    def make_engine():
        events.append("engine created")
        return Engine(events, api.address)

    try:
        engine = server.start_in_order(Launcher(), api, api.address, make_engine, timeout=10)
        assert engine.started.wait(10)
    finally:
        api.sock.close()
    assert events[:6] == ["api listens", "orphans found", "unfinished found", "taken calls released",
                          "restart ['t1']", "engine created"]
    assert set(events[6:]) == {"finish (['wf1'], [])", "engine starts, API answers"}


def test_an_api_that_never_listens_is_reported():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    address = sock.getsockname()
    try:
        with pytest.raises(RuntimeError, match="does not listen on 127.0.0.1:%d" % address[1]):
            server.wait_until_listening(address, timeout=0.5)
    finally:
        sock.close()
