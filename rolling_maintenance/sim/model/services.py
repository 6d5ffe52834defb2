"""Compute hosts and Nova services: enable/disable/force-down, the host that
does not come back, and the simulated maintenance work on a host."""

from rolling_maintenance.audit import events
from rolling_maintenance.sim import errors
from rolling_maintenance.sim.model import records
from rolling_maintenance.sim.model.core import stable_uuid

NOT_BACK = "host did not come back after maintenance"


class ServiceOps:

    def add_host(self, name, vcpus, ram_mb, disk_gb=100):
        if name in self.hosts:
            raise ValueError("duplicate host %r" % name)
        service = self._add_service("nova-compute", name, "nova")
        host = records.Host(name=name, vcpus=vcpus, ram_mb=ram_mb, disk_gb=disk_gb,
                            service=service, hypervisor_id=stable_uuid("hypervisor", name))
        self.hosts[name] = host
        return host

    def add_control_service(self, binary, host):
        return self._add_service(binary, host, "internal")

    def _add_service(self, binary, host, zone):
        service = records.Service(
            id=stable_uuid("service", "%s@%s" % (binary, host)), binary=binary, host=host,
            zone=zone, legacy_id=len(self.services) + 1, updated_at=self.now)
        self.services[service.id] = service
        return service

    def service(self, service_id):
        service = self.services.get(service_id)
        if service is None:
            raise errors.NotFound("Service %s could not be found." % service_id)
        return service

    def update_service(self, service_id, status=None, disabled_reason=None, forced_down=None):
        """Nova's PUT /os-services/{id} (microversion 2.53 and later)."""
        service = self.service(service_id)
        if status is None and forced_down is None:
            raise errors.BadRequest(
                "No updates were requested. Fields 'status' or 'forced_down' should be specified.")
        if status == "enabled" and disabled_reason is not None:
            raise errors.BadRequest("Specifying 'disabled_reason' with status 'enabled' is invalid.")
        if service.binary != "nova-compute":
            raise errors.BadRequest("Updating a %s service is not supported. Only nova-compute "
                                    "services can be updated." % service.binary)
        service.updated_at = self.now
        if status == "disabled":
            self._disable(service, disabled_reason)
        elif status == "enabled":
            self._enable(service)
        if forced_down is not None:
            self._force_down(service, forced_down)
        return service

    def _disable(self, service, reason):
        was_enabled = service.enabled
        service.enabled = False
        service.disabled_reason = reason
        if was_enabled:
            self.emit(events.SERVICE_DISABLED, host=service.host, binary=service.binary, reason=reason)

    def _lose_if_not_returning(self, service):
        """A host armed not to come back goes down when its maintenance work
        starts (its reboot) and stays down."""
        if service.host in self.faults.no_return:
            self.faults.no_return.discard(service.host)
            was_up = service.up
            service.lost = True
            if was_up:
                self.emit(events.SERVICE_DOWN, host=service.host, binary=service.binary, reason=NOT_BACK)

    def _enable(self, service):
        was_enabled = service.enabled
        service.enabled = True
        service.disabled_reason = None
        if was_enabled:
            return
        self.emit(events.SERVICE_ENABLED, host=service.host, binary=service.binary)

    def _force_down(self, service, forced_down):
        was_up = service.up
        service.forced_down = bool(forced_down)
        if was_up and not service.up:
            self.emit(events.SERVICE_DOWN, host=service.host, binary=service.binary, reason="forced down")
        elif service.up and not was_up:
            self.emit(events.SERVICE_UP, host=service.host, binary=service.binary)

    def bring_back(self, host_name):
        """Undo a host that did not come back: its service is up again."""
        service = self.host(host_name).service
        if service.lost:
            service.lost = False
            service.updated_at = self.now
            if service.up:
                self.emit(events.SERVICE_UP, host=service.host, binary=service.binary)

    # host work ---------------------------------------------------------------

    def start_host_work(self, host_name, label, duration_s=None, key=None):
        host = self.host(host_name)
        if host.work is not None and not host.work.done:
            raise errors.Conflict("%s is already running work %r until t=%s"
                                  % (host_name, host.work.label, host.work.ends_at))
        if self.take_work_error(host_name, label):
            raise errors.SimError("%s on %s failed (injected fault)" % (label, host_name))
        duration = self.timing.host_maintenance_s if duration_s is None else float(duration_s)
        work = records.HostWork(host=host_name, label=label, started_at=self.now,
                                ends_at=self.now + duration, key=key)
        host.work = work
        self.emit(events.HOST_WORK_STARTED, host=host_name, label=label, duration_s=duration,
                  ends_at=work.ends_at)
        self._lose_if_not_returning(host.service)
        self.after(duration, lambda: self._finish_work(work))
        return work

    def _finish_work(self, work):
        work.done = True
        self.emit(events.HOST_WORK_FINISHED, host=work.host, label=work.label)

    def host_work(self, host_name):
        work = self.host(host_name).work
        if work is None:
            return {"host": host_name, "state": "idle", "label": None,
                    "started_at": None, "ends_at": None, "key": None}
        return {"host": host_name, "state": "done" if work.done else "running",
                "label": work.label, "started_at": work.started_at, "ends_at": work.ends_at,
                "key": work.key}
