"""The whole model as plain JSON-able data, for GET /_sim/state and tests."""


class SnapshotOps:

    def snapshot(self):
        used = self.usage()
        return {
            "now": self.now,
            "speed": self.clock.speed,
            "hosts": [self._host_state(h, used[h.name]) for h in self.hosts.values()],
            "servers": [self._server_state(s) for s in
                        sorted(self.servers.values(), key=lambda s: s.seq)],
            "groups": [{"id": g.id, "name": g.name, "project": g.project_id, "policy": g.policy,
                        "rules": dict(g.rules), "members": list(g.members)}
                       for g in self.groups.values()],
            "migrations": [self._migration_state(m) for m in self.migrations.values()
                           if not m.closed],
            "alarms": [{"alarm_id": a.id, "name": a.name, "project": a.project_id,
                        "event_type": a.event_rule["event_type"], "alarm_actions": list(a.alarm_actions),
                        "enabled": a.enabled, "repeat_actions": a.repeat_actions}
                       for a in sorted(self.alarms.values(), key=lambda a: a.seq)],
            "projects": [{"id": p.id, "name": p.name} for p in self.projects.values()],
            "faults": self.active_faults(),
            "timing": self.timing.as_dict(),
        }

    def _host_state(self, host, used):
        service = host.service
        return {
            "name": host.name, "service_id": service.id,
            "status": "enabled" if service.enabled else "disabled",
            "disabled_reason": service.disabled_reason,
            "state": "up" if service.up else "down", "forced_down": service.forced_down,
            "vcpus": host.vcpus, "vcpus_used": used[0], "ram_mb": host.ram_mb, "ram_mb_used": used[1],
            # What Nova lets the host take: (total - reserved) * allocation ratio.
            "room_vcpus": host.schedulable_vcpus, "room_ram_mb": host.schedulable_ram_mb,
            "servers": used[2], "work": self.host_work(host.name),
        }

    @staticmethod
    def _server_state(server):
        return {
            "id": server.id, "name": server.name, "project": server.project_id, "host": server.host,
            "status": server.status, "vm_state": server.vm_state, "task_state": server.task_state,
            "vcpus": server.flavor.vcpus, "ram_mb": server.flavor.ram_mb, "flavor": server.flavor.name,
            "group": server.group_id, "migration_id": server.migration_id,
        }

    @staticmethod
    def _migration_state(migration):
        return {
            "id": migration.id, "uuid": migration.uuid, "server": migration.server_id,
            "project": migration.project_id, "type": migration.kind, "status": migration.status,
            "source": migration.source, "dest": migration.dest, "created": migration.created,
            "duration": migration.duration,
        }
