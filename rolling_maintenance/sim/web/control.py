"""The simulator's own API under /_sim (no token): state, event log, faults,
host work and the clock. Never affected by an injected API outage."""

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.web import front
from rolling_maintenance.sim.web.request import Response


def _since(request):
    value = request.arg("since", "0")
    try:
        since = int(value)
    except ValueError:
        since = -1
    if since < 0:
        raise errors.BadRequest("query parameter 'since' must be an integer >= 0, got %r" % value)
    return since


def _optional_object(request):
    if not request.has_body():
        return {}
    return request.json_object()


class ControlFront(front.Front):
    prefix = "/_sim"

    def add_routes(self, router):
        router.add("GET", "/state", self.state)
        router.add("GET", "/events", self.events)
        router.add("GET", "/faults", self.faults)
        router.add("POST", "/faults", self.inject_fault)
        router.add("DELETE", "/faults", self.clear_faults)
        router.add("GET", "/hosts/{host}/work", self.host_work)
        router.add("POST", "/hosts/{host}/work", self.start_host_work)
        router.add("GET", "/clock", self.clock)
        router.add("POST", "/clock/advance", self.advance_clock)

    def authenticate(self, request):
        """The control API is open: it is the test harness's back door."""

    def state(self, request):
        return Response(200, request.model.snapshot())

    def events(self, request):
        return Response(200, request.model.log.since(_since(request)))

    def faults(self, request):
        return Response(200, request.model.active_faults())

    def inject_fault(self, request):
        return Response(201, request.model.inject_fault(request.json()))

    def clear_faults(self, request):
        return Response(200, request.model.clear_faults())

    def host_work(self, request):
        return Response(200, request.model.host_work(request.params["host"]))

    def start_host_work(self, request):
        body = _optional_object(request)
        label = body.get("label", "maintenance")
        if not isinstance(label, str) or not label:
            raise errors.BadRequest("field 'label' must be a non-empty string, got %r" % (label,))
        duration = body.get("duration_s")
        if duration is not None and (isinstance(duration, bool) or not isinstance(duration, (int, float))
                                     or duration < 0):
            raise errors.BadRequest("field 'duration_s' must be a number >= 0, got %r" % (duration,))
        key = body.get("key")
        if key is not None and (not isinstance(key, str) or not key):
            raise errors.BadRequest("field 'key' must be a non-empty string, got %r" % (key,))
        request.model.start_host_work(request.params["host"], label, duration, key)
        return Response(202, request.model.host_work(request.params["host"]))

    def clock(self, request):
        return Response(200, {"now": request.model.now, "speed": request.model.clock.speed})

    def advance_clock(self, request):
        advance = getattr(request.model.clock, "advance", None)
        if advance is None:
            raise errors.Conflict("this simulator's clock runs by itself; only a manual clock "
                                  "can be advanced")
        seconds = _optional_object(request).get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            raise errors.BadRequest("field 'seconds' must be a number >= 0, got %r" % (seconds,))
        advance(seconds)
        request.model.advance()
        return Response(200, {"now": request.model.now, "speed": request.model.clock.speed})

    def error_body(self, status, message):
        return {"error": {"code": status, "message": message}}
