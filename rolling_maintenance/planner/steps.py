"""The planner's answer: the next state, why, and who is concerned."""

SCALE_IN = "SCALE_IN"
PREPARE_MAINTENANCE = "PREPARE_MAINTENANCE"
START_MAINTENANCE = "START_MAINTENANCE"
PLANNED_MAINTENANCE = "PLANNED_MAINTENANCE"
MAINTENANCE_COMPLETE = "MAINTENANCE_COMPLETE"
MAINTENANCE_FAILED = "MAINTENANCE_FAILED"
STATES = (SCALE_IN, PREPARE_MAINTENANCE, START_MAINTENANCE, PLANNED_MAINTENANCE,
          MAINTENANCE_COMPLETE, MAINTENANCE_FAILED)
FINAL_STATES = (MAINTENANCE_COMPLETE, MAINTENANCE_FAILED)


def make_step(state, reason, hosts=(), moves=(), instances=()):
    """A step as plain data; `instances` are the affected `Instance`s, from
    which `projects` and `instances_by_project` (both sorted) follow."""
    by_project = {}
    for instance in instances:
        by_project.setdefault(instance.project_id, []).append(instance.id)
    return {
        "state": state,
        "reason": reason,
        "hosts": list(hosts),
        "moves": list(moves),
        "projects": sorted(by_project),
        "instances_by_project": {p: sorted(by_project[p]) for p in sorted(by_project)},
    }
