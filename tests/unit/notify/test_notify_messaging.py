"""The messaging driver on the machine's real RabbitMQ.

Checks the event type, the payload and the project in the message context.
"""

import json
import socket
import time

import pytest

from rolling_maintenance import notify

RABBIT = ("127.0.0.1", 5672)
TRANSPORT_URL = "rabbit://guest:guest@127.0.0.1:5672/"
QUEUE = "notifications.info"


def rabbit_reachable():
    try:
        with socket.create_connection(RABBIT, timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not rabbit_reachable(),
                                reason="RabbitMQ is not listening on 127.0.0.1:5672")


def take_notification(session_id, timeout=10):
    """Consume our message from notifications.info; other consumers' messages go back."""
    import kombu

    deadline = time.monotonic() + timeout
    with kombu.Connection("amqp://guest:guest@127.0.0.1:5672//") as connection:
        channel = connection.channel()
        try:
            while time.monotonic() < deadline:
                message = channel.basic_get(QUEUE, no_ack=False)
                if message is None:
                    time.sleep(0.05)
                    continue
                envelope = json.loads(message.body)
                inner = json.loads(envelope["oslo.message"])
                if inner.get("payload", {}).get("session_id") == session_id:
                    channel.basic_ack(message.delivery_tag)
                    return envelope, inner
        finally:
            channel.close()
    raise AssertionError("no notification for session %s on %s" % (session_id, QUEUE))


def test_project_event_is_an_oslo_notification_with_the_project_in_its_context():
    session_id = "s-%s" % time.time_ns()
    result = notify.send_project_event(
        session_id, "p-42", "PLANNED_MAINTENANCE", driver="messaging",
        transport_url=TRANSPORT_URL, api_url="http://127.0.0.1:12347",
        reply_at="2026-11-22T10:05:00Z", metadata={"openstack_version": "Rocky"})
    assert result["driver"] == "messaging"
    assert result["delivered"] == [{"topic": QUEUE}] and result["failed"] == []
    envelope, message = take_notification(session_id)
    assert envelope["oslo.version"] == "2.0"
    assert message["event_type"] == "maintenance.scheduled"
    assert message["publisher_id"] == "maintenance"
    assert message["priority"] == "INFO"
    assert message["payload"] == result["payload"]
    assert message["payload"]["project_id"] == message["payload"]["tenant_id"] == "p-42"
    assert message["_context_project_id"] == "p-42"


def test_session_event_carries_the_admin_project_in_its_context_only():
    session_id = "s-%s" % time.time_ns()
    notify.send_session_event(session_id, "MAINTENANCE_FAILED", 1, 2, "host cmp-2 did not return",
                              project_id="admin-p", driver="messaging",
                              transport_url=TRANSPORT_URL)
    _, message = take_notification(session_id)
    assert message["event_type"] == "maintenance.session"
    assert message["payload"] == {"session_id": session_id, "state": "MAINTENANCE_FAILED",
                                  "percent_done": 50, "hosts_done": 1, "hosts_total": 2,
                                  "reason": "host cmp-2 did not return"}
    assert message["_context_project_id"] == "admin-p"


def test_a_refused_broker_is_reported_not_raised():
    result = notify.send_host_event("cmp-1", "IN_MAINTENANCE", "s-refused", "admin-p",
                                    driver="messaging",
                                    transport_url="rabbit://nobody:wrong@127.0.0.1:5672/")
    assert result["delivered"] == []
    assert result["failed"][0]["topic"] == QUEUE
    assert "ACCESS_REFUSED" in result["failed"][0]["error"]
