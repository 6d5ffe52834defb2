"""Injected faults: migrations that end in error, a host that does not come
back, host work (a plug-in) that fails, an API outage, one API call that
fails. Validated here so the HTTP and Python entry points
reject the same bad input with the same message."""

from rolling_maintenance.audit import events
from rolling_maintenance.sim import errors

FAULT_TYPES = ("migration_error", "host_no_return", "host_work_error", "api_unavailable", "api_error",
               "clear")
# What an injected API error answers unless the fault says otherwise.
API_ERROR_STATUS = 500
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
        elif kind == "host_work_error":
            armed = self._arm_work_error(spec)
        elif kind == "api_error":
            armed = self._arm_api_error(spec)
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

    def _arm_work_error(self, spec):
        """The next `count` works on `host` (of `label` only, when given) fail to start."""
        host = self._fault_host(spec)
        label = spec.get("label")
        if label is not None and (not isinstance(label, str) or not label):
            raise errors.BadRequest("fault field 'label' must be a non-empty string, got %r" % (label,))
        count = _number(spec, "count", integer=True, default=1)
        self.faults.work_errors[host] = {"label": label, "count": count}
        return {"fault": "host_work_error", "host": host, "label": label, "count": count}

    def _arm_api_error(self, spec):
        """The next `count` API requests whose path contains `path` answer `status`."""
        path = spec.get("path")
        if not isinstance(path, str) or not path:
            raise errors.BadRequest("fault field 'path' must be a non-empty string, got %r" % (path,))
        status = spec.get("status", API_ERROR_STATUS)
        if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
            raise errors.BadRequest("fault field 'status' must be an HTTP error status, got %r" % (status,))
        count = _number(spec, "count", integer=True, default=1)
        self.faults.api_errors.append({"path": path, "status": status, "count": count})
        return {"fault": "api_error", "path": path, "status": status, "count": count}

    def take_work_error(self, host, label):
        """Whether work `label` on `host` is to fail (and one less will)."""
        armed = self.faults.work_errors.get(host)
        if armed is None or armed["label"] not in (None, label):
            return False
        armed["count"] -= 1
        if armed["count"] <= 0:
            del self.faults.work_errors[host]
        return True

    def take_api_error(self, path):
        """The error status a request to `path` is to answer, or None."""
        for armed in self.faults.api_errors:
            if armed["path"] in path:
                armed["count"] -= 1
                if armed["count"] <= 0:
                    self.faults.api_errors.remove(armed)
                return armed["status"]
        return None

    def clear_faults(self, host=None):
        """Disarm faults (of one host, or all) and bring lost hosts back up."""
        hosts = [host] if host else list(self.hosts)
        for name in hosts:
            self.faults.migration_errors.pop(name, None)
            self.faults.no_return.discard(name)
            self.faults.work_errors.pop(name, None)
            self.bring_back(name)
        if host is None:
            self.faults.api_unavailable_until = None
            self.faults.service_unavailable_until.clear()
            self.faults.api_errors.clear()
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
            "host_work_error": {h: dict(e) for h, e in self.faults.work_errors.items()},
            "api_error": [dict(e) for e in self.faults.api_errors],
            "lost_hosts": sorted(h.name for h in self.hosts.values() if h.service.lost),
            "api_unavailable_until": self.faults.api_unavailable_until if self.api_unavailable() else None,
        }
