"""A session survives a crash of the whole Mistral process while it waits."""

import socket
import time

from rolling_maintenance import status
from rolling_maintenance.demo import scenarios, session

from test_rolling import assert_done, session_input


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_pending(client, session_id, project, vnfm, timeout=60):
    """Until the session waits for `project` and its VNFM has the question in hand
    (the question is recorded just before it is sent)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = status.session_progress(client, session_id)["pending_replies"]
        if any(p["project_id"] == project for p in pending) and vnfm.states():
            assert vnfm.wait_idle(timeout)
            return pending
        time.sleep(0.3)
    raise AssertionError("%s was never asked" % project)


def test_kill_mistral_while_waiting_for_a_reply_then_restart(tmp_path):
    inventory = scenarios.two_sizes(hosts=4, seed=1, extras_per_project=2)
    with session.SessionRun(inventory, speed=80, workdir=str(tmp_path), reply_api_port=free_port(),
                            vnfm_options={"tenant-a": {"behaviour": "silent"}}) as run:
        session_id = run.create(session_input(project_maintenance_reply=120))
        wait_for_pending(run.client, session_id, "tenant-a", run.vnfms["tenant-a"])

        run.env.crash_mistral()
        run.env.start_mistral()
        assert run.client.executions.get(session_id).state == "RUNNING"

        vnfm = run.vnfms["tenant-a"]
        vnfm.set_behaviour("ack")
        reply = vnfm.reply_pending()
        assert reply is not None and reply["status"] == 200, reply
        run.wait(session_id)
        assert_done(run, session_id, run.verdict(session_id))
