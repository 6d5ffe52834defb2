"""Servers: boot (scheduled at once, ACTIVE after `boot_s`), delete, and the
servers an inventory starts with."""

import uuid

from rolling_maintenance.audit import events
from rolling_maintenance.sim import errors, scheduler
from rolling_maintenance.sim.model import records

NO_VALID_HOST = "No valid host was found. There are not enough hosts available."
# The image an inventory's servers were booted from (and that the test bed's
# image stand-in serves), so a VNFM that adopts them boots its own from it.
DEFAULT_IMAGE = "00000000-0000-4000-8000-00000000cafe"
# The one network the cloud offers, shared by every project (the test bed's
# Neutron stand-in serves the same one): `networks: "auto"` takes it, as Nova
# takes the one network a project sees; a boot may also name it.
DEFAULT_NETWORK = "00000000-0000-4000-8000-0000000000ae"
NETWORK_NAMES = {DEFAULT_NETWORK: "private"}


class ServerOps:

    def _new_server(self, server_id, name, project_id, user_id, flavor, group_id, **fields):
        if server_id in self.servers:
            raise ValueError("duplicate server id %s" % server_id)
        server = records.Server(
            id=server_id, name=name, project_id=project_id, user_id=user_id, flavor=flavor,
            seq=next(self._server_seq), created=self.now, updated=self.now,
            group_id=group_id, **fields)
        self.servers[server.id] = server
        if group_id is not None:
            self.groups[group_id].members.append(server.id)
        return server

    def add_existing_server(self, server_id, name, project_id, flavor, host, group_id=None,
                            image_ref=DEFAULT_IMAGE):
        """A server already ACTIVE when the simulation starts (from an inventory)."""
        _, user = self.project_member(project_id)
        server = self._new_server(
            server_id, name, project_id, user.id, flavor, group_id, image_ref=image_ref,
            host=host, vm_state="active", task_state=None,
            power_state=records.POWER_RUNNING, launched_at=self.now)
        server.claims = {host}
        return server

    def create_server(self, actor, name, flavor, image_ref="", group_id=None,
                      networks="auto", metadata=None):
        """Boot a server: placed now, ACTIVE after `boot_s`, ERROR without a valid host."""
        if group_id is not None:
            group = self.group(group_id, actor)
            if group.project_id != actor.project_id:
                raise errors.BadRequest("Server group %s belongs to another project." % group_id)
        server = self._new_server(
            str(uuid.uuid4()), name, actor.project_id, actor.user_id, flavor, group_id,
            image_ref=image_ref, networks=networks, metadata=dict(metadata or {}))
        action = self.new_action(server, "create", actor)
        host = scheduler.select(self.host_views(), self.placement_for(server))
        self.emit(events.SERVER_CREATED, server=server.id, name=server.name, project=server.project_id,
                  host=host, group=group_id, vcpus=server.flavor.vcpus, ram_mb=server.flavor.ram_mb)
        if host is None:
            self._fail_build(server, action)
            return server
        server.host = host
        server.claims = {host}
        server.task_state = "spawning"
        self.after(self.timing.boot_s, lambda: self._finish_build(server, action))
        return server

    def _fail_build(self, server, action):
        server.vm_state = "error"
        server.task_state = None
        server.fault = {"code": 500, "message": NO_VALID_HOST, "created": self.now}
        server.updated = self.now
        self.finish_action(action, "conductor_schedule_and_build_instances", ok=False)
        self.emit(events.SERVER_ERROR, server=server.id, project=server.project_id, reason=NO_VALID_HOST)

    def _finish_build(self, server, action):
        if self.servers.get(server.id) is not server or server.vm_state != "building":
            return
        server.vm_state = "active"
        server.task_state = None
        server.power_state = records.POWER_RUNNING
        server.launched_at = self.now
        server.updated = self.now
        self.finish_action(action, "compute_build_and_run_instance", ok=True, host=server.host)
        self.emit(events.SERVER_ACTIVE, server=server.id, project=server.project_id, host=server.host)

    def delete_server(self, actor, server_id):
        server = self.server(server_id, actor)
        action = self.new_action(server, "delete", actor)
        if server.migration_id is not None:
            self.abandon_migration(self.migrations[server.migration_id], "server deleted")
        group = self.groups.get(server.group_id)
        if group is not None and server.id in group.members:
            group.members.remove(server.id)
        del self.servers[server.id]
        self.finish_action(action, "compute_terminate_instance", ok=True, host=server.host)
        self.emit(events.SERVER_DELETED, server=server.id, project=server.project_id, host=server.host)
