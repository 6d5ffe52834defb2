"""Which event alarms fire: the same decisions as Aodh's event evaluator."""

import pytest

from rolling_maintenance.notify import alarm_match

EVENT = {"message_id": "m", "event_type": "maintenance.planned", "generated": "x", "raw": {},
         "traits": [["project_id", 1, "p-1"], ["state", 1, "MAINTENANCE"],
                    ["hosts_done", 1, "3"]]}


def alarm(**changes):
    base = {"alarm_id": "a", "type": "event", "enabled": True, "repeat_actions": True,
            "state": "insufficient data",
            "event_rule": {"event_type": "maintenance.planned", "query": []}}
    base.update(changes)
    return base


def rule(event_type="maintenance.planned", *query):
    return {"event_type": event_type, "query": list(query)}


@pytest.mark.parametrize("subject", [
    alarm(),
    alarm(event_rule=rule("maintenance.*")),
    alarm(event_rule=rule("*")),
    alarm(repeat_actions=False),
    alarm(state="alarm"),
    alarm(event_rule=rule("maintenance.planned", {"field": "traits.project_id", "op": "eq",
                                                  "value": "p-1"})),
    alarm(event_rule=rule("maintenance.planned", {"field": "traits.state", "value": "MAINTENANCE",
                                                  "type": "string"})),
    alarm(event_rule=rule("maintenance.planned", {"field": "traits.hosts_done", "op": "ge",
                                                  "value": "2"})),
    alarm(event_rule=rule("maintenance.planned", {"field": "event_type", "op": "eq",
                                                  "value": "maintenance.planned"})),
])
def test_fires(subject):
    assert alarm_match.why_not_fired(subject, EVENT) is None


@pytest.mark.parametrize("subject, reason", [
    (alarm(enabled=False), "disabled"),
    (alarm(type="threshold"), "not an event alarm"),
    (alarm(event_rule=rule("maintenance.host")), "does not match"),
    (alarm(event_rule=rule("maintenance")), "does not match"),
    (alarm(event_rule={}), "does not match"),
    (alarm(repeat_actions=False, state="alarm"), "already fired"),
    (alarm(event_rule=rule("maintenance.planned", {"field": "traits.project_id", "op": "eq",
                                                   "value": "p-2"})), "does not hold"),
    # Every trait is text: an integer query cannot compare with it (Aodh neither).
    (alarm(event_rule=rule("maintenance.planned", {"field": "traits.hosts_done", "op": "ge",
                                                   "value": "2", "type": "integer"})),
     "does not hold"),
    (alarm(event_rule=rule("maintenance.planned", {"field": "traits.hosts_done", "op": "lt",
                                                   "value": "2"})), "does not hold"),
    (alarm(event_rule=rule("maintenance.planned", {"field": "traits.state", "op": "eq",
                                                   "value": "x", "type": "integer"})),
     "does not hold"),
    (alarm(event_rule=rule("maintenance.planned", {"field": "traits.absent", "op": "gt",
                                                   "value": "1"})), "does not hold"),
    (alarm(event_rule=rule("maintenance.planned", {"field": "traits.state", "op": "like",
                                                   "value": "M"})), "does not hold"),
])
def test_does_not_fire(subject, reason):
    assert reason in alarm_match.why_not_fired(subject, EVENT)
