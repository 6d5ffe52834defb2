"""Instance actions: what was asked of a server, by whom, and how it ended."""

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.web import stamps
from rolling_maintenance.sim.web.request import Response


def _action_view(request, action, with_events):
    model, mv = request.model, request.microversion
    view = {
        "action": action.action, "instance_uuid": action.server_id, "request_id": action.request_id,
        "user_id": action.user_id, "project_id": action.project_id,
        "start_time": stamps.micro(model, action.start_time), "message": action.message,
    }
    if mv >= (2, 58):
        view["updated_at"] = stamps.micro(model, action.updated)
    if with_events:
        events = []
        for event in action.events:
            shown = {"event": event["event"], "start_time": stamps.micro(model, event["start_time"]),
                     "finish_time": stamps.micro(model, event["finish_time"]),
                     "result": event["result"]}
            if request.actor.is_admin:
                shown["traceback"] = None
            if mv >= (2, 62):
                shown["hostId"] = ""
                if request.actor.is_admin:
                    shown["host"] = event["host"] or ""
            if mv >= (2, 84):
                shown["details"] = None
            events.append(shown)
        view["events"] = events
    return view


def _actions_of(request):
    server = request.model.server(request.params["server_id"], request.actor)
    return [a for a in request.model.actions if a.server_id == server.id], server


def list_instance_actions(request):
    actions, _ = _actions_of(request)
    order = sorted(enumerate(actions), key=lambda pair: (pair[1].start_time, pair[0]), reverse=True)
    actions = [action for _, action in order]
    return Response(200, {"instanceActions": [_action_view(request, a, False) for a in actions]})


def show_instance_action(request):
    actions, server = _actions_of(request)
    wanted = request.params["request_id"]
    for action in actions:
        if action.request_id == wanted:
            return Response(200, {"instanceAction": _action_view(request, action, True)})
    raise errors.NotFound("Action for request_id %s on instance %s not found" % (wanted, server.id))
