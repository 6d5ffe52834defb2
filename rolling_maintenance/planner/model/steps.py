"""The planner's answer: the next state, why, and who is concerned."""

from rolling_maintenance.workflow.contract import (
    MAINTENANCE_COMPLETE,
    MAINTENANCE_FAILED,
    MOVING_STATES,
    PLANNED_MAINTENANCE,
    PREPARE_MAINTENANCE,
    SCALE_IN,
    START_MAINTENANCE,
)

# The states the planner can decide on (the session's others are not its).
STATES = (SCALE_IN, PREPARE_MAINTENANCE, START_MAINTENANCE, PLANNED_MAINTENANCE,
          MAINTENANCE_COMPLETE, MAINTENANCE_FAILED)
FINAL_STATES = (MAINTENANCE_COMPLETE, MAINTENANCE_FAILED)
__all__ = ["FINAL_STATES", "MAINTENANCE_COMPLETE", "MAINTENANCE_FAILED", "MOVING_STATES",
           "PLANNED_MAINTENANCE", "PREPARE_MAINTENANCE", "SCALE_IN", "START_MAINTENANCE", "STATES",
           "make_step"]


def make_step(state, reason, hosts=(), moves=(), instances=()):
    """A step as plain data; `instances` are the affected `Instance`s, from
    which `projects` (sorted) and `instances_by_project` follow. With moves,
    each project's instances are listed in the order they move (what a VNFM
    needs to keep a redundant pair in service); otherwise sorted."""
    by_project = {}
    for instance in instances:
        by_project.setdefault(instance.project_id, []).append(instance.id)
    if moves:
        position = {move["instance"]: index for index, move in enumerate(moves)}
        listed = {p: sorted(ids, key=lambda i: (position.get(i, len(position)), i)) for p, ids in by_project.items()}
    else:
        listed = {p: sorted(ids) for p, ids in by_project.items()}
    return {
        "state": state,
        "reason": reason,
        "hosts": list(hosts),
        "moves": list(moves),
        "projects": sorted(by_project),
        "instances_by_project": {p: listed[p] for p in sorted(listed)},
    }
