"""The in-memory cloud: its records, its clock, its log and its timeline.

Every entry point first calls `advance()`, which completes whatever the
clock says has finished. Operations live in the mixins next to this file.
"""

import collections
import datetime
import itertools
import threading
import uuid

from rolling_maintenance.sim import errors, scheduler
from rolling_maintenance.sim.model import events, records, timeline, timing

REGION = "RegionOne"
DOMAIN_ID = "default"
DOMAIN_NAME = "Default"
ADMIN_PROJECT = "admin"
ADMIN_USER = "admin"
PASSWORD = "secret"
ID_NAMESPACE = uuid.UUID("6f1c2b1e-6d0a-4c59-9d0e-3c1f2a7b8e10")


def stable_uuid(kind, name):
    """A uuid that depends only on (kind, name): inventories map to fixed ids."""
    return str(uuid.uuid5(ID_NAMESPACE, "%s:%s" % (kind, name)))


def user_id_for(name):
    """Keystone-style (hex, no dashes) id of the user called `name`."""
    return stable_uuid("user", name).replace("-", "")


class Faults:
    def __init__(self):
        self.migration_errors = {}  # source host -> migrations left to fail
        self.no_return = set()  # hosts whose service goes down for good when work starts
        self.api_unavailable_until = None
        self.service_unavailable_until = {}  # API path prefix -> end of its outage
        self.work_errors = {}  # host -> {"label": label or None, "count": works left to fail}
        self.api_errors = []  # {"path": text in the path, "status", "count": requests left to fail}


class ModelCore:
    def __init__(self, clock, timing_=None, epoch=None):
        self.clock = clock
        self.timing = timing_ or timing.Timing()
        if epoch is None:
            epoch = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        self.epoch = epoch
        self.lock = threading.RLock()
        self.now = float(clock.now())
        self.timeline = timeline.Timeline()
        self.log = events.EventLog()
        self.faults = Faults()
        self.projects = {}
        self.users = {}
        self.tokens = {}
        self.hosts = {}
        self.services = {}
        self.flavors = {}
        self.servers = {}
        self.groups = {}
        self.migrations = {}
        self.actions = []
        self.alarms = {}
        self.catalog_services = {}  # id -> registered service (sim.model.catalog)
        self.catalog_endpoints = {}  # id -> registered endpoint
        self.live_queue = collections.defaultdict(collections.deque)  # source host -> waiting
        self.live_running = collections.defaultdict(set)  # source host -> migration ids
        self.left_recently = {}  # server id -> {host it left: until when the scheduler thinks not}
        self._server_seq = itertools.count(1)
        self._migration_seq = itertools.count(1)
        self._alarm_seq = itertools.count(1)

    # time -----------------------------------------------------------------

    def advance(self):
        """Complete everything due by the clock's now, in time order."""
        with self.lock:
            target = max(self.now, float(self.clock.now()))
            while True:
                due = self.timeline.pop_due(target)
                if due is None:
                    break
                t, action = due
                self.now = max(self.now, t)
                action()
            self.now = target
            return self.now

    def after(self, delay, action):
        self.timeline.at(self.now + max(0.0, delay), action)

    def emit(self, type_, **fields):
        return self.log.append(self.now, type_, **fields)

    def wall(self, t):
        """Simulated seconds as a UTC datetime, for API timestamps."""
        return self.epoch + datetime.timedelta(seconds=t)

    # lookups --------------------------------------------------------------

    def host(self, name):
        try:
            return self.hosts[name]
        except KeyError:
            raise errors.NotFound("Compute host %s could not be found." % name) from None

    def server(self, server_id, actor=None):
        """The server, hidden (404) from members of other projects."""
        server = self.servers.get(server_id)
        if server is None or (actor and not actor.is_admin and server.project_id != actor.project_id):
            raise errors.NotFound("Instance %s could not be found." % server_id)
        return server

    def flavor(self, flavor_id):
        flavor = self.flavors.get(flavor_id)
        if flavor is None:
            flavor = next((f for f in self.flavors.values() if f.name == flavor_id), None)
        if flavor is None:
            raise errors.NotFound("Flavor %s could not be found." % flavor_id)
        return flavor

    def flavor_for(self, vcpus, ram_mb):
        """The flavor of that size, created on first use (named m1.v<vcpus>r<ram>)."""
        name = "m1.v%dr%d" % (vcpus, ram_mb)
        if name not in self.flavors:
            self.flavors[name] = records.Flavor(id=name, name=name, vcpus=vcpus, ram_mb=ram_mb)
        return self.flavors[name]

    def group(self, group_id, actor=None):
        group = self.groups.get(group_id)
        if (group is None or group.policy is None
                or (actor and not actor.is_admin and group.project_id != actor.project_id)):
            raise errors.NotFound("Instance group %s could not be found." % group_id)
        return group

    # capacity -------------------------------------------------------------

    def usage(self):
        """{host: [vcpus, ram_mb, servers]} counting every claim, migrations included."""
        used = {name: [0, 0, 0] for name in self.hosts}
        for server in self.servers.values():
            for name in server.claims:
                if name in used:
                    used[name][0] += server.flavor.vcpus
                    used[name][1] += server.flavor.ram_mb
                    used[name][2] += 1
        return used

    def host_views(self):
        """What the scheduler sees: Placement's room, (total - reserved) * ratio - used."""
        used = self.usage()
        return [scheduler.HostView(
            name=h.name, enabled=h.service.enabled, up=h.service.up,
            free_vcpus=h.schedulable_vcpus - used[h.name][0],
            free_ram_mb=h.schedulable_ram_mb - used[h.name][1])
            for h in self.hosts.values()]

    def scheduler_hosts_of(self, server):
        """Where the scheduler's instance view puts `server`: its claims, plus a host it
        left by live migration less than `scheduler_stale_view_s` ago."""
        left = self.left_recently.get(server.id, {})
        return frozenset(server.claims) | {h for h, until in left.items() if until > self.now}

    def left_host(self, server, host):
        """`server` has just left `host` by live migration: stale in the scheduler's view."""
        window = self.timing.scheduler_stale_view_s
        if window > 0:
            self.left_recently.setdefault(server.id, {})[host] = self.now + window

    def placement_for(self, server, source=None, group_id=None):
        group = self.groups.get(group_id if group_id is not None else server.group_id)
        members = ()
        policy, rules = None, {}
        if group is not None and group.policy is not None:
            policy, rules = group.policy, group.rules
            members = tuple(self.scheduler_hosts_of(self.servers[m]) for m in group.members
                            if m != server.id and m in self.servers)
        return scheduler.Placement(
            vcpus=server.flavor.vcpus, ram_mb=server.flavor.ram_mb,
            policy=policy, rules=rules, members=members, source=source)

    def new_action(self, server, action, actor, start=None):
        record = records.InstanceAction(
            server_id=server.id, action=action, request_id=actor.request_id,
            user_id=actor.user_id, project_id=actor.project_id,
            start_time=self.now if start is None else start, updated=self.now)
        self.actions.append(record)
        return record

    def finish_action(self, record, event, ok, host=None, start=None):
        record.updated = self.now
        if not ok:
            record.message = "Error"
        record.events.append({
            "event": event, "start_time": record.start_time if start is None else start,
            "finish_time": self.now, "result": "Success" if ok else "Error", "host": host})

    def system_actor(self):
        admin = self.users.get(user_id_for(ADMIN_USER))
        return records.Actor(
            user_id=admin.id if admin else "", project_id=ADMIN_PROJECT,
            request_id="req-" + str(uuid.uuid4()), is_admin=True)
