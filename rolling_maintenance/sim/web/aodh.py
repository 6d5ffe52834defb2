"""Aodh v2 under /alarming: event alarms, listed with Aodh's repeated
`q.field`/`q.op`/`q.value` query, in Aodh's error shape."""

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.web import front, stamps
from rolling_maintenance.sim.web.request import Response


def _filters(request):
    fields, ops, values = request.args("q.field"), request.args("q.op"), request.args("q.value")
    if len(fields) != len(values) or (ops and len(ops) != len(fields)):
        raise errors.BadRequest("q.field, q.op and q.value must come in matching numbers")
    pairs = []
    for index, field in enumerate(fields):
        op = ops[index] if ops else "eq"
        if op != "eq":
            raise errors.BadRequest("Operator %s is not supported. The simulated Aodh only "
                                    "supports eq" % op)
        pairs.append((field, values[index]))
    return pairs


def _alarm_view(request, alarm):
    model = request.model
    return {
        "alarm_id": alarm.id, "name": alarm.name, "description": alarm.description,
        "type": alarm.type, "enabled": alarm.enabled, "state": alarm.state,
        "state_reason": "Not evaluated yet", "severity": alarm.severity,
        "project_id": alarm.project_id, "user_id": alarm.user_id,
        "timestamp": stamps.micro(model, alarm.created),
        "state_timestamp": stamps.micro(model, alarm.created),
        "alarm_actions": list(alarm.alarm_actions), "ok_actions": list(alarm.ok_actions),
        "insufficient_data_actions": list(alarm.insufficient_data_actions),
        "repeat_actions": alarm.repeat_actions, "time_constraints": list(alarm.time_constraints),
        "event_rule": {"event_type": alarm.event_rule["event_type"],
                       "query": list(alarm.event_rule["query"])},
    }


class AodhFront(front.Front):
    prefix = "/alarming"
    public_paths = ("",)

    def add_routes(self, router):
        router.add("GET", "", self.versions)
        router.add("GET", "/v2/alarms", self.list_alarms)
        router.add("POST", "/v2/alarms", self.create_alarm)
        router.add("GET", "/v2/alarms/{alarm_id}", self.show_alarm)
        router.add("PUT", "/v2/alarms/{alarm_id}", self.update_alarm)
        router.add("DELETE", "/v2/alarms/{alarm_id}", self.delete_alarm)
        router.add("GET", "/v2/alarms/{alarm_id}/state", self.alarm_state)

    def versions(self, request):
        href = "%s/alarming/v2" % request.base_url
        return Response(200, {"versions": {"values": [{
            "id": "v2", "status": "stable", "updated": "2013-02-13T00:00:00Z",
            "links": [{"rel": "self", "href": href}],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.telemetry-v2+json"}],
        }]}})

    def list_alarms(self, request):
        alarms = request.model.list_alarms(request.actor, _filters(request))
        return Response(200, [_alarm_view(request, a) for a in alarms])

    def create_alarm(self, request):
        alarm = request.model.create_alarm(request.actor, request.json_object())
        return Response(201, _alarm_view(request, alarm))

    def show_alarm(self, request):
        alarm = request.model.alarm(request.actor, request.params["alarm_id"])
        return Response(200, _alarm_view(request, alarm))

    def update_alarm(self, request):
        alarm = request.model.update_alarm(request.actor, request.params["alarm_id"],
                                           request.json_object())
        return Response(200, _alarm_view(request, alarm))

    def delete_alarm(self, request):
        request.model.delete_alarm(request.actor, request.params["alarm_id"])
        return Response(204)

    def alarm_state(self, request):
        return Response(200, request.model.alarm(request.actor, request.params["alarm_id"]).state)

    def error_body(self, status, message):
        return {"error_message": {"faultcode": "Client" if status < 500 else "Server",
                                  "faultstring": message, "debuginfo": None}}
