"""One replay of the simulator's event log, and the verdicts on top of it.

`events` names what the simulator writes and the audit reads; `cloud` is the
state at one moment (read from the simulator's state or the inventory
format); `replay` is the one event applier (the cloud at every event, and
server and host intervals). The rules read only that: `placement` (capacity
and hard group policies at one moment), `session` (a rolling session),
`availability` (downtime of an application's active instance),
`one_host` (the maintenance of one host) and `crash` (a session interrupted
and resumed: nothing done twice, nothing lost); `busy` measures when the
cloud worked for a session (the benchmark). Independent of the planner, the
workflow and the simulator's model, as an auditor should be.
"""

from rolling_maintenance.audit.availability import downtime, unavailable_intervals
from rolling_maintenance.audit.cloud import Cloud
from rolling_maintenance.audit.crash import crash_verdict
from rolling_maintenance.audit.one_host import one_host_verdict
from rolling_maintenance.audit.placement import inventory_violations, placement_violations
from rolling_maintenance.audit.replay import Replay, replay_log, walk
from rolling_maintenance.audit.session import session_verdict

__all__ = [
    "Cloud",
    "Replay",
    "crash_verdict",
    "downtime",
    "inventory_violations",
    "one_host_verdict",
    "placement_violations",
    "replay_log",
    "session_verdict",
    "unavailable_intervals",
    "walk",
]
