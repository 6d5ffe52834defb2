"""Pure decision logic of a maintenance session: plain data in, plain data out.

No I/O, no clock, no Mistral, no SDK, so the workflow's action, the dry run
and the benchmarks share one tested planner.
"""

from rolling_maintenance.planner.model.capacity import capacity_report
from rolling_maintenance.planner.model.errors import InvalidInput
from rolling_maintenance.planner.model.instance_moves import apply_moves
from rolling_maintenance.planner.model.progress import validate_progress
from rolling_maintenance.planner.model.snapshot import MOVE_TYPES, POLICIES, validate_snapshot
from rolling_maintenance.planner.model.steps import FINAL_STATES, STATES
from rolling_maintenance.planner.offline.session_sim import iter_session, simulate_session
from rolling_maintenance.planner.strategy.next_step import plan_next

__all__ = [
    "FINAL_STATES",
    "MOVE_TYPES",
    "POLICIES",
    "STATES",
    "InvalidInput",
    "apply_moves",
    "capacity_report",
    "iter_session",
    "plan_next",
    "simulate_session",
    "validate_progress",
    "validate_snapshot",
]
