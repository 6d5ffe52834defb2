"""The cloud as the audit sees it at one moment.

Read from the simulator's state (`GET /_sim/state`) or from the project's
inventory format, then changed only by the event applier (`replay`). A
server counts on every host it claims: its own, and during a move the target
too (a cold move until it is confirmed or reverted), as Nova's claims do.
A host's capacity is what Nova lets it take ((total - reserved) * allocation
ratio), as the planner counts it.
"""

from rolling_maintenance.planner.model.snapshot import host_room

ACTIVE = "active"
BUILDING = "building"
ERROR = "error"

# Why a server cannot serve, in the order they are reported.
NOT_ACTIVE = "not active"
DELETED = "deleted"
MIGRATING = "migrating"
HOST_IN_MAINTENANCE = "host in maintenance"

# vm_states in which a server serves: a resized one runs on its new host
# until the move is confirmed.
_SERVING_VM_STATES = ("active", "resized")


class Server:
    __slots__ = ("claims", "group", "host", "id", "project", "ram_mb", "status", "vcpus")

    def __init__(self, server_id, host, vcpus=0, ram_mb=0, group=None, project=None, status=ACTIVE):
        self.id = server_id
        self.host = host
        self.vcpus = vcpus
        self.ram_mb = ram_mb
        self.group = group
        self.project = project
        self.status = status
        self.claims = {host} if host is not None else set()


class Migration:
    """A move under way; `landed` once a cold move ended and waits for confirm or revert."""

    __slots__ = ("dest", "kind", "landed", "server", "source", "started")

    def __init__(self, server, kind, source, dest, started, landed=False):
        self.server = server
        self.kind = kind
        self.source = source
        self.dest = dest
        self.started = started
        self.landed = landed


class Cloud:
    """Hosts and their capacity, servers, group policies, and what is under way."""

    def __init__(self, now=0.0):
        self.now = float(now)
        self.capacity = {}
        self.policies = {}
        self.servers = {}
        self.deleted = set()
        self.disabled = set()
        self.working = {}
        self.migrations = {}

    # -- readers ----------------------------------------------------------
    @classmethod
    def from_sim_state(cls, state):
        """The simulator's state: `{"now", "hosts", "servers", "groups", "migrations"}`."""
        cloud = cls(_number(state.get("now", 0.0), "now"))
        for where, entry in _entries(state, "hosts"):
            name = _required(entry, "name", where)
            cloud.capacity[name] = (entry.get("room_vcpus", entry.get("vcpus", 0)),
                                    entry.get("room_ram_mb", entry.get("ram_mb", 0)))
            if entry.get("status") == "disabled":
                cloud.disabled.add(name)
            work = entry.get("work") or {}
            if work.get("state") == "running":
                cloud.working[name] = work.get("label")
        for where, entry in _entries(state, "groups"):
            cloud.policies[_required(entry, "id", where)] = entry.get("policy")
        for where, entry in _entries(state, "servers"):
            vm_state = entry.get("vm_state", "active")
            cloud._add(where, Server(
                _required(entry, "id", where), entry.get("host"), entry.get("vcpus", 0),
                entry.get("ram_mb", 0), entry.get("group"), entry.get("project"),
                ACTIVE if vm_state in _SERVING_VM_STATES else vm_state))
        for where, entry in _entries(state, "migrations"):
            server = cloud.servers.get(entry.get("server"))
            if server is None:
                raise ValueError("%s: server %r is not in the cloud" % (where, entry.get("server")))
            cloud.start_migration(server.id, entry.get("type"), entry.get("source"), entry.get("dest"),
                                  entry.get("created", cloud.now))
            if entry.get("status") == "finished":
                cloud.migrations[server.id].landed = True
        return cloud

    @classmethod
    def from_inventory(cls, inventory):
        """The inventory format the planner reads: `{"hosts", "instances", "groups"}`."""
        cloud = cls()
        for where, entry in _entries(inventory, "hosts"):
            cloud.capacity[_required(entry, "name", where)] = host_room(entry)
        for where, entry in _entries(inventory, "groups"):
            cloud.policies[_required(entry, "group_id", where)] = entry.get("policy")
        for where, entry in _entries(inventory, "instances"):
            cloud._add(where, Server(
                _required(entry, "id", where), entry.get("host"), entry.get("vcpus", 0),
                entry.get("ram_mb", 0), entry.get("group_id"), entry.get("project_id")))
        return cloud

    def _add(self, where, server):
        if server.id in self.servers:
            raise ValueError("%s: server %r is listed twice" % (where, server.id))
        if server.host is not None and server.host not in self.capacity:
            raise ValueError("%s (%s): host %r is not a known host" % (where, server.id, server.host))
        self.servers[server.id] = server

    # -- changes the applier makes ----------------------------------------
    def start_migration(self, server_id, kind, source, dest, t):
        self.migrations[server_id] = Migration(server_id, kind, source, dest, t)
        if dest is not None:
            self.servers[server_id].claims.add(dest)

    def settle(self, server_id, host):
        """The server is on `host` alone: its move, if any, is over."""
        server = self.servers[server_id]
        server.host = host
        server.claims = {host}
        self.migrations.pop(server_id, None)

    # -- questions --------------------------------------------------------
    def usage(self):
        """`{host: (vcpus, ram_mb)}` claimed on each host."""
        used = {name: (0, 0) for name in self.capacity}
        for server in self.servers.values():
            for host in server.claims:
                vcpus, ram_mb = used.get(host, (0, 0))
                used[host] = (vcpus + server.vcpus, ram_mb + server.ram_mb)
        return used

    def members_by_host(self):
        """`{group: {host: [server ids]}}`, members on every host they claim."""
        placed = {}
        for server in sorted(self.servers.values(), key=lambda s: s.id):
            if server.group is not None:
                by_host = placed.setdefault(server.group, {})
                for host in sorted(server.claims):
                    by_host.setdefault(host, []).append(server.id)
        return placed

    def moving(self, server_id):
        """Whether the server is between two hosts right now."""
        migration = self.migrations.get(server_id)
        return migration is not None and not migration.landed

    def unavailable(self, server_id):
        """Why the server cannot serve now (NOT_ACTIVE, DELETED, MIGRATING,
        HOST_IN_MAINTENANCE); empty when it can. A host only disabled still
        runs its servers: disabling keeps the scheduler away, nothing more."""
        if server_id in self.deleted:
            return [DELETED]
        server = self.servers[server_id]
        reasons = [] if server.status == ACTIVE else [NOT_ACTIVE]
        if self.moving(server_id):
            reasons.append(MIGRATING)
        if server.host is not None and server.host in self.working:
            reasons.append(HOST_IN_MAINTENANCE)
        return reasons


def _entries(data, key):
    if not isinstance(data, dict):
        raise ValueError("the cloud must be a dict with %s, got %s" % (key, type(data).__name__))
    entries = data.get(key) or []
    if not isinstance(entries, list):
        raise ValueError("%s must be a list, got %s" % (key, type(entries).__name__))
    for index, entry in enumerate(entries):
        where = "%s[%d]" % (key, index)
        if not isinstance(entry, dict):
            raise ValueError("%s must be an object, got %r" % (where, entry))
        yield where, entry


def _required(entry, field, where):
    value = entry.get(field)
    if value is None or value == "":
        raise ValueError("%s has no %s" % (where, field))
    return value


def _number(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("%s must be a number, got %r" % (what, value))
    return value
