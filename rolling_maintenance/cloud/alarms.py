"""Aodh event alarms: how VNFMs subscribe to maintenance notifications.

A project is subscribed when it owns an enabled event alarm on the project
event type; its `alarm_actions` are the webhooks a notification goes to.
"""

import fnmatch

from aodhclient import client as aodh_client

from rolling_maintenance.cloud.errors import CloudError, translated


def aodh(conn):
    """An aodhclient v2 client sharing the connection's Keystone session and region."""
    return aodh_client.Client(
        "2", session=conn.session,
        interface=conn.config.get_interface("alarming"),
        region_name=conn.config.get_region_name("alarming"))


def subscribed_projects(conn, event_type):
    """`{project_id: [alarm, ...]}` for every enabled event alarm that fires on `event_type`.

    Aodh filters only on type and project server-side, so the event type is
    matched here, the way Aodh's event evaluator matches it (shell-style
    patterns: an alarm on `maintenance.*` fires for `maintenance.scheduled`).
    """
    if not event_type or not isinstance(event_type, str):
        raise CloudError("bad_request",
                         f"event_type must be a non-empty string, got {event_type!r}")
    with translated(event_type=event_type):
        alarms = aodh(conn).alarm.list(filters={"type": "event", "all_projects": "true"})
    projects = {}
    for alarm in alarms:
        if alarm.get("type") != "event" or not alarm.get("enabled", True):
            continue
        pattern = (alarm.get("event_rule") or {}).get("event_type")
        if pattern and fnmatch.fnmatchcase(event_type, pattern):
            projects.setdefault(alarm.get("project_id"), []).append(alarm)
    return projects


def create_event_alarm(conn, name, event_type, webhook_url, project_id=None):
    """The event alarm `name` calling `webhook_url` on `event_type`, created unless it exists.

    Idempotent by name (within `project_id` when given): an existing alarm is
    returned as it is. `repeat_actions` is on, or Aodh would call the webhook
    only on the first notification.
    """
    for label, value in (("name", name), ("event_type", event_type),
                         ("webhook_url", webhook_url)):
        if not value or not isinstance(value, str):
            raise CloudError("bad_request", f"{label} must be a non-empty string, got {value!r}")
    client = aodh(conn)
    filters = {"type": "event", "name": name}
    if project_id:
        filters.update(all_projects="true", project_id=project_id)
    with translated(name=name):
        for alarm in client.alarm.list(filters=filters):
            if alarm.get("name") == name and (not project_id
                                              or alarm.get("project_id") == project_id):
                return alarm
    body = {
        "name": name,
        "type": "event",
        "event_rule": {"event_type": event_type, "query": []},
        "alarm_actions": [webhook_url],
        "repeat_actions": True,
        "enabled": True,
    }
    if project_id:
        body["project_id"] = project_id
    with translated(name=name):
        return client.alarm.create(body)


def delete_alarm(conn, alarm_id):
    """Delete an alarm; False when it was already gone."""
    try:
        with translated(alarm_id=alarm_id):
            aodh(conn).alarm.delete(alarm_id)
    except CloudError as exc:
        if exc.code == "not_found":
            return False
        raise
    return True
