"""Aodh event alarms: what VNFMs create to subscribe to maintenance events.

Only stored and listed; the simulator never evaluates them or calls their
actions (the project's notifier posts to `alarm_actions` itself).
"""

import uuid
from urllib.parse import urlsplit

from rolling_maintenance.audit import events
from rolling_maintenance.sim import errors
from rolling_maintenance.sim.model import records

SEVERITIES = ("low", "moderate", "critical")
STATES = ("ok", "alarm", "insufficient data")
ACTION_SCHEMES = ("http", "https", "log", "test", "trust+http", "trust+https", "zaqar", "trust+zaqar")
FILTER_FIELDS = ("all_projects", "type", "project_id", "name", "enabled", "state",
                 "severity", "user_id", "alarm_id")


def _text(spec, field, default=None, required=False):
    value = spec.get(field, default)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value):
        raise errors.BadRequest("Invalid input for field/attribute %s. Value: %r. a non-empty "
                                "string is expected" % (field, value))
    return value


def _flag(spec, field, default):
    value = spec.get(field, default)
    if not isinstance(value, bool):
        raise errors.BadRequest("Invalid input for field/attribute %s. Value: %r. "
                                "Wrong type. Expected 'bool'" % (field, value))
    return value


def _actions(spec, field):
    value = spec.get(field) or []
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise errors.BadRequest("Invalid input for field/attribute %s. Value: %r. "
                                "a list of URLs is expected" % (field, value))
    for action in value:
        if urlsplit(action).scheme not in ACTION_SCHEMES:
            raise errors.BadRequest("Unsupported action %s" % action)
    return list(value)


def _event_rule(spec):
    rule = spec.get("event_rule") or {}
    if not isinstance(rule, dict):
        raise errors.BadRequest("Invalid input for field/attribute event_rule. Value: %r." % (rule,))
    event_type = rule.get("event_type", "*")
    query = rule.get("query", [])
    if not isinstance(event_type, str) or not isinstance(query, list):
        raise errors.BadRequest("event_rule needs event_type (string) and query (list), got %r"
                                % (rule,))
    return {"event_type": event_type, "query": list(query)}


def _matches(alarm, field, value):
    if field == "enabled":
        return str(alarm.enabled).lower() == str(value).lower()
    if field == "alarm_id":
        return alarm.id == value
    return str(getattr(alarm, field)) == str(value)


class AlarmOps:

    def _owner(self, actor, spec):
        project_id = _text(spec, "project_id") or actor.project_id
        user_id = _text(spec, "user_id") or actor.user_id
        if not actor.is_admin and (project_id != actor.project_id or user_id != actor.user_id):
            raise errors.Unauthorized("Not Authorized to access project %s" % project_id)
        if project_id not in self.projects:
            raise errors.BadRequest("Project %s does not exist" % project_id)
        return project_id, user_id

    def _build_alarm(self, actor, spec, alarm_id, seq, created):
        if not isinstance(spec, dict):
            raise errors.BadRequest("an alarm must be a JSON object")
        alarm_type = _text(spec, "type", required=True)
        if alarm_type != "event":
            raise errors.BadRequest("Unsupported alarm type %r: the simulated Aodh only has 'event'"
                                    % alarm_type)
        name = _text(spec, "name", required=True)
        project_id, user_id = self._owner(actor, spec)
        rule = _event_rule(spec)
        severity = spec.get("severity", "low")
        if severity not in SEVERITIES:
            raise errors.BadRequest("Invalid input for field/attribute severity. Value: %r. Value "
                                    "should be one of: %s" % (severity, ", ".join(SEVERITIES)))
        state = spec.get("state", "insufficient data")
        if state not in STATES:
            raise errors.BadRequest("Invalid input for field/attribute state. Value: %r." % (state,))
        constraints = spec.get("time_constraints") or []
        if not isinstance(constraints, list):
            raise errors.BadRequest("time_constraints must be a list")
        for other in self.alarms.values():
            if other.id != alarm_id and other.project_id == project_id and other.name == name:
                raise errors.Conflict("Alarm with name='%s' exists" % name)
        return records.Alarm(
            id=alarm_id, name=name, type=alarm_type, project_id=project_id, user_id=user_id,
            event_rule=rule, alarm_actions=_actions(spec, "alarm_actions"),
            ok_actions=_actions(spec, "ok_actions"),
            insufficient_data_actions=_actions(spec, "insufficient_data_actions"),
            repeat_actions=_flag(spec, "repeat_actions", False), enabled=_flag(spec, "enabled", True),
            severity=severity, state=state, time_constraints=list(constraints),
            description=_text(spec, "description") or "Alarm when %s event occurred." % rule["event_type"],
            created=created, seq=seq)

    def create_alarm(self, actor, spec):
        alarm = self._build_alarm(actor, spec, str(uuid.uuid4()), next(self._alarm_seq), self.now)
        self.alarms[alarm.id] = alarm
        self.emit(events.ALARM_CREATED, alarm_id=alarm.id, name=alarm.name, project=alarm.project_id,
                  event_type=alarm.event_rule["event_type"])
        return alarm

    def update_alarm(self, actor, alarm_id, spec):
        old = self.alarm(actor, alarm_id)
        alarm = self._build_alarm(actor, spec, old.id, old.seq, old.created)
        self.alarms[alarm.id] = alarm
        return alarm

    def alarm(self, actor, alarm_id):
        alarm = self.alarms.get(alarm_id)
        if alarm is None or (not actor.is_admin and alarm.project_id != actor.project_id):
            raise errors.NotFound("Alarm %s not found" % alarm_id)
        return alarm

    def delete_alarm(self, actor, alarm_id):
        alarm = self.alarm(actor, alarm_id)
        del self.alarms[alarm.id]
        self.emit(events.ALARM_DELETED, alarm_id=alarm.id, name=alarm.name, project=alarm.project_id,
                  event_type=alarm.event_rule["event_type"])

    def list_alarms(self, actor, filters=()):
        """Alarms visible to `actor`, newest first; `filters` are (field, value) pairs."""
        all_projects = False
        wanted = []
        for field, value in filters:
            if field not in FILTER_FIELDS:
                raise errors.BadRequest("Unknown argument: \"%s\": unrecognized field in query" % field)
            if field == "all_projects":
                all_projects = str(value).lower() == "true"
            else:
                wanted.append((field, value))
        found = []
        for alarm in self.alarms.values():
            if not (actor.is_admin and all_projects) and alarm.project_id != actor.project_id:
                continue
            if all(_matches(alarm, f, v) for f, v in wanted):
                found.append(alarm)
        return sorted(found, key=lambda a: a.seq, reverse=True)
