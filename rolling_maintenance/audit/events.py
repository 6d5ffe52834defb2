"""The vocabulary of the simulator's event log.

The simulator writes these types (`sim/model`), the audit reads them; both
take the names from here. Each event is a dict `{"seq", "t", "type", ...}`;
the fields each type carries are listed beside it.
"""

SERVER_CREATED = "server.created"  # server, name, project, host (None: no valid host), group, vcpus, ram_mb
SERVER_ACTIVE = "server.active"  # server, project, host
SERVER_ERROR = "server.error"  # server, project, reason
SERVER_DELETED = "server.deleted"  # server, project, host

MIGRATION_STARTED = "migration.started"  # migration_id, server, project, kind (live|cold), source, dest
MIGRATION_FINISHED = "migration.finished"  # as started; a cold move then waits for confirm or revert
MIGRATION_CONFIRMED = "migration.confirmed"  # as started
MIGRATION_REVERTED = "migration.reverted"  # as started: the server is back on its source
MIGRATION_FAILED = "migration.failed"  # as started, reason: the server stays on its source

SERVICE_DISABLED = "service.disabled"  # host, binary, reason
SERVICE_ENABLED = "service.enabled"  # host, binary
SERVICE_DOWN = "service.down"  # host, binary, reason
SERVICE_UP = "service.up"  # host, binary

HOST_WORK_STARTED = "host.work.started"  # host, label, duration_s, ends_at
HOST_WORK_FINISHED = "host.work.finished"  # host, label

ALARM_CREATED = "alarm.created"  # alarm_id, name, project, event_type
ALARM_DELETED = "alarm.deleted"  # alarm_id, name, project, event_type

FAULT_INJECTED = "fault.injected"  # fault and what it arms (host, count, or seconds and until)
FAULT_CLEARED = "fault.cleared"  # host

ALL = frozenset((
    SERVER_CREATED, SERVER_ACTIVE, SERVER_ERROR, SERVER_DELETED,
    MIGRATION_STARTED, MIGRATION_FINISHED, MIGRATION_CONFIRMED, MIGRATION_REVERTED, MIGRATION_FAILED,
    SERVICE_DISABLED, SERVICE_ENABLED, SERVICE_DOWN, SERVICE_UP,
    HOST_WORK_STARTED, HOST_WORK_FINISHED,
    ALARM_CREATED, ALARM_DELETED, FAULT_INJECTED, FAULT_CLEARED,
))
