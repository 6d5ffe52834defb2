"""The records the simulated cloud keeps: plain data, no behaviour beyond
what Nova derives from them (a server's status from its vm and task state)."""

import dataclasses
from typing import Any

# Nova's server status is a view of (vm_state, task_state).
_ACTIVE_TASK_STATUS = {
    "migrating": "MIGRATING",
    "resize_prep": "RESIZE",
    "resize_migrating": "RESIZE",
    "resize_migrated": "RESIZE",
    "resize_finish": "RESIZE",
}
_VM_STATE_STATUS = {
    "building": "BUILD",
    "error": "ERROR",
    "deleted": "DELETED",
}

POWER_NOSTATE = 0
POWER_RUNNING = 1

MIGRATION_TYPES = {"live": "live-migration", "cold": "migration"}


@dataclasses.dataclass
class Project:
    id: str
    name: str
    domain_id: str = "default"


@dataclasses.dataclass
class User:
    id: str
    name: str
    password: str
    default_project_id: str
    roles: dict  # project id -> list of role names
    domain_id: str = "default"


@dataclasses.dataclass
class Token:
    id: str
    user_id: str
    project_id: str
    roles: list
    methods: list
    audit_id: str
    issued_at: Any  # datetime, real wall time: clients compare it to theirs
    expires_at: Any


@dataclasses.dataclass
class Flavor:
    id: str
    name: str
    vcpus: int
    ram_mb: int
    disk_gb: int = 10


@dataclasses.dataclass
class Service:
    """A Nova service; for nova-compute also the hypervisor of the host."""

    id: str
    binary: str
    host: str
    zone: str
    legacy_id: int
    updated_at: float = 0.0
    enabled: bool = True
    disabled_reason: Any = None
    forced_down: bool = False
    lost: bool = False  # the host did not come back (injected fault)

    @property
    def up(self):
        return not (self.forced_down or self.lost)


@dataclasses.dataclass
class Host:
    """A compute host: its capacity, service, and simulated maintenance work."""

    name: str
    vcpus: int
    ram_mb: int
    disk_gb: int
    service: Service
    hypervisor_id: str
    work: Any = None  # HostWork
    # What Placement schedules against: (total - reserved) * allocation_ratio.
    cpu_allocation_ratio: float = 1.0
    ram_allocation_ratio: float = 1.0
    reserved_host_memory_mb: int = 0

    @property
    def schedulable_vcpus(self):
        return int(self.vcpus * self.cpu_allocation_ratio)

    @property
    def schedulable_ram_mb(self):
        return int((self.ram_mb - self.reserved_host_memory_mb) * self.ram_allocation_ratio)


@dataclasses.dataclass
class HostWork:
    host: str
    label: str
    started_at: float
    ends_at: float
    done: bool = False
    key: str = None  # who asked for it (e.g. a session), to find it again


@dataclasses.dataclass
class Server:
    id: str
    name: str
    project_id: str
    user_id: str
    flavor: Flavor
    seq: int
    created: float
    updated: float
    image_ref: str = ""
    host: Any = None
    vm_state: str = "building"
    task_state: Any = "scheduling"
    power_state: int = POWER_NOSTATE
    group_id: Any = None
    metadata: dict = dataclasses.field(default_factory=dict)
    networks: str = "auto"
    launched_at: Any = None
    fault: Any = None
    claims: set = dataclasses.field(default_factory=set)  # hosts holding its resources
    migration_id: Any = None  # the migration in progress, if any

    @property
    def status(self):
        if self.vm_state == "active":
            return _ACTIVE_TASK_STATUS.get(self.task_state, "ACTIVE")
        if self.vm_state == "resized":
            return "REVERT_RESIZE" if self.task_state == "resize_reverting" else "VERIFY_RESIZE"
        return _VM_STATE_STATUS.get(self.vm_state, self.vm_state.upper())


@dataclasses.dataclass
class Group:
    id: str
    name: str
    project_id: str
    user_id: str
    policy: Any  # None: a grouping Nova does not know about (no constraint)
    rules: dict = dataclasses.field(default_factory=dict)
    members: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Migration:
    id: int
    uuid: str
    server_id: str
    project_id: str
    user_id: str
    kind: str  # live | cold
    source: str
    dest: Any
    status: str
    created: float
    updated: float
    duration: float
    doomed: Any = None  # reason it will fail, decided when it is accepted
    request_id: str = ""
    closed: bool = False  # completed, failed, confirmed or reverted

    @property
    def migration_type(self):
        return MIGRATION_TYPES[self.kind]


@dataclasses.dataclass
class InstanceAction:
    server_id: str
    action: str
    request_id: str
    user_id: str
    project_id: str
    start_time: float
    updated: float
    message: Any = None
    events: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Alarm:
    id: str
    name: str
    type: str
    project_id: str
    user_id: str
    event_rule: dict
    alarm_actions: list
    ok_actions: list
    insufficient_data_actions: list
    repeat_actions: bool
    enabled: bool
    severity: str
    description: str
    time_constraints: list
    created: float
    seq: int
    state: str = "insufficient data"


@dataclasses.dataclass(frozen=True)
class Actor:
    """Who asks for a change: stamped on instance actions and records."""

    user_id: str
    project_id: str
    request_id: str
    is_admin: bool = False
