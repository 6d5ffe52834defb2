"""Injected faults: migrations that end in error, a host that does not come
back, an API outage. Validated here so the HTTP and Python entry points
reject the same bad input with the same message."""

from rolling_maintenance.audit import events
from rolling_maintenance.sim import errors

FAULT_TYPES = ("migration_error", "host_no_return", "api_unavailable", "clear")
# What `api_unavailable` may take down alone (`service`); without it, every API.
SERVICES = ("compute", "placement", "alarming", "identity")


def _number(spec, field, integer=False, default=None):
    value = spec.get(field, default)
    ok_type = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, ok_type) or value <= 0:
        kind = "a positive integer" if integer else "a positive number"
        raise errors.BadRequest("fault field '%s' must be %s, got %r" % (field, kind, value))
    return value


class FaultOps:

    def _fault_host(self, spec, required=True):
        name = spec.get("host")
        if name is None and not required:
            return None
        if not isinstance(name, str) or name not in self.hosts:
            raise errors.BadRequest("fault field 'host' must name a compute host, got %r" % (name,))
        return name

    def inject_fault(self, spec):
        """Arm a fault described by `spec` (see FAULT_TYPES); returns what was armed."""
        if not isinstance(spec, dict):
            raise errors.BadRequest("a fault must be a JSON object, got %s" % type(spec).__name__)
        kind = spec.get("type")
        if kind not in FAULT_TYPES:
            raise errors.BadRequest("fault field 'type' must be one of %s, got %r"
                                    % (", ".join(FAULT_TYPES), kind))
        if kind == "clear":
            return self.clear_faults(self._fault_host(spec, required=False))
        if kind == "migration_error":
            host = self._fault_host(spec)
            count = _number(spec, "count", integer=True, default=1)
            self.faults.migration_errors[host] = self.faults.migration_errors.get(host, 0) + count
            armed = {"fault": kind, "host": host, "count": count}
        elif kind == "host_no_return":
            host = self._fault_host(spec)
            self.faults.no_return.add(host)
            armed = {"fault": kind, "host": host}
        else:
            seconds = float(_number(spec, "seconds"))
            until = self.now + seconds
            service = spec.get("service")
            armed = {"fault": kind, "seconds": seconds, "until": until}
            if service is None:
                self.faults.api_unavailable_until = max(until, self.faults.api_unavailable_until or 0.0)
            elif service in SERVICES:
                self.faults.service_unavailable_until[service] = max(
                    until, self.faults.service_unavailable_until.get(service, 0.0))
                armed["service"] = service
            else:
                raise errors.BadRequest("fault field 'service' must be one of %s, got %r"
                                        % (", ".join(SERVICES), service))
        self.emit(events.FAULT_INJECTED, **armed)
        return armed

    def clear_faults(self, host=None):
        """Disarm faults (of one host, or all) and bring lost hosts back up."""
        hosts = [host] if host else list(self.hosts)
        for name in hosts:
            self.faults.migration_errors.pop(name, None)
            self.faults.no_return.discard(name)
            self.bring_back(name)
        if host is None:
            self.faults.api_unavailable_until = None
            self.faults.service_unavailable_until.clear()
        self.emit(events.FAULT_CLEARED, host=host)
        return {"fault": "clear", "host": host}

    def unavailable_until(self, service=None):
        """When the outage of `service` (an API's path prefix, or every API) ends, or None."""
        ends = [t for t in (self.faults.api_unavailable_until,
                            self.faults.service_unavailable_until.get(service))
                if t is not None and self.now < t]
        return max(ends) if ends else None

    def api_unavailable(self, service=None):
        return self.unavailable_until(service) is not None

    def active_faults(self):
        return {
            "migration_error": {h: n for h, n in self.faults.migration_errors.items() if n > 0},
            "host_no_return": sorted(self.faults.no_return),
            "lost_hosts": sorted(h.name for h in self.hosts.values() if h.service.lost),
            "api_unavailable_until": self.faults.api_unavailable_until if self.api_unavailable() else None,
        }
