"""The names the workbook and the Python both use: workflows, tasks, actions, states.

The workbook (`workbooks/maintenance.yaml`) cannot import them; the workbook
lint checks that every task named here is a task of its workflow, so a
renamed task fails the lint instead of a session. This module imports
nothing from the package, so every part of it (the planner included) may
read it.
"""

WORKBOOK = "maintenance"

# Workflows. The execution id of `rolling` is the session id.
ROLLING = "maintenance.rolling"
ASK_PROJECTS = "maintenance._ask_projects"
# The `vnf` workflow's moving states: each instance asked alone, then moved.
ONE_BY_ONE = "maintenance._one_by_one"
ASK_AND_MOVE = "maintenance._ask_and_move"
RUN_PLUGIN = "maintenance._run_plugin"
# Cancels a session and gives its hosts back (input: `session_id`).
CANCEL = "maintenance.cancel"

# States of a session. The workflow's tasks are named after them.
MAINTENANCE = "MAINTENANCE"
SCALE_IN = "SCALE_IN"
PREPARE_MAINTENANCE = "PREPARE_MAINTENANCE"
START_MAINTENANCE = "START_MAINTENANCE"
PLANNED_MAINTENANCE = "PLANNED_MAINTENANCE"
MAINTENANCE_COMPLETE = "MAINTENANCE_COMPLETE"
MAINTENANCE_DONE = "MAINTENANCE_DONE"
MAINTENANCE_FAILED = "MAINTENANCE_FAILED"
MAINTENANCE_CANCELLED = "MAINTENANCE_CANCELLED"
SESSION_STATES = (MAINTENANCE, SCALE_IN, PREPARE_MAINTENANCE, START_MAINTENANCE, PLANNED_MAINTENANCE,
                  MAINTENANCE_COMPLETE, MAINTENANCE_DONE, MAINTENANCE_FAILED, MAINTENANCE_CANCELLED)
# The states whose instances leave their hosts; only in them may a project
# choose how (`allowed_actions`).
MOVING_STATES = (PREPARE_MAINTENANCE, PLANNED_MAINTENANCE)

# What a project is told: the states it is asked about, and after each move.
INSTANCE_ACTION_DONE = "INSTANCE_ACTION_DONE"
ASKED_STATES = (MAINTENANCE, SCALE_IN, PREPARE_MAINTENANCE, PLANNED_MAINTENANCE, MAINTENANCE_COMPLETE)
PROJECT_STATES = (*ASKED_STATES, INSTANCE_ACTION_DONE)

# What the infrastructure services are told about a host.
IN_MAINTENANCE = "IN_MAINTENANCE"
HOST_STATES = (IN_MAINTENANCE, MAINTENANCE_COMPLETE)

# How an instance leaves its host (OWN_ACTION: its VNFM moves or re-creates
# it), in the order the projects are offered them.
MIGRATE = "MIGRATE"
LIVE_MIGRATE = "LIVE_MIGRATE"
OWN_ACTION = "OWN_ACTION"
INSTANCE_ACTIONS = (MIGRATE, LIVE_MIGRATE, OWN_ACTION)
MIGRATION_TYPES = (LIVE_MIGRATE, MIGRATE)


def allowed_actions(state):
    """The instance actions a project may choose in `state`: only when its
    instances must move."""
    return list(INSTANCE_ACTIONS) if state in MOVING_STATES else []

# Fenix's two flavours of the project messages, chosen per session
# (`workflow`): `default` asks each project about all its instances at once
# (`instance_ids` the URL of the list); `vnf` (ETSI FEAT03) asks
# PREPARE_MAINTENANCE and PLANNED_MAINTENANCE per instance.
DEFAULT_WORKFLOW = "default"
VNF_WORKFLOW = "vnf"
WORKFLOWS = (DEFAULT_WORKFLOW, VNF_WORKFLOW)

# Tasks of `rolling` the Python reads.
VALIDATE_TASK = "validate"
INVALID_INPUT_TASK = "invalid_input"
DECIDE_TASK = "decide"
CANNOT_CONTINUE_TASK = "cannot_continue"
PREPARE_MOVES_TASK = "prepare_moves"
PLANNED_MOVES_TASK = "planned_moves"
START_MAINTENANCE_TASK = "start_maintenance"
MAINTENANCE_FAILED_TASK = "maintenance_failed"
# The tasks that move instances, and those that run once per host.
MOVE_TASKS = (PREPARE_MOVES_TASK, PLANNED_MOVES_TASK)
PER_HOST_TASKS = (*MOVE_TASKS, START_MAINTENANCE_TASK)
# The `vnf` workflow's moving states, one instance at a time.
PREPARE_VNF_TASK = "prepare_maintenance_vnf"
PLANNED_VNF_TASK = "planned_maintenance_vnf"
# The tasks that publish what they moved (`moved`: [{"host", "moves"}]).
MOVED_TASKS = (*MOVE_TASKS, PREPARE_VNF_TASK, PLANNED_VNF_TASK)
# The `vnf` tasks a continue resumes at the instance that failed, through
# their sub-workflow's loop over the instances.
ONE_BY_ONE_TASKS_OF_ROLLING = (PREPARE_VNF_TASK, PLANNED_VNF_TASK)
# The tasks that end a failed session; they are not its cause.
FAILURE_TASKS = (MAINTENANCE_FAILED_TASK, CANNOT_CONTINUE_TASK, INVALID_INPUT_TASK)

# Tasks of the private workflows.
ASK_TASK = "ask"
PLUGIN_TASKS = ("run_action", "run_workflow")
ONE_BY_ONE_LOOP_TASK = "each_instance"
ONE_BY_ONE_TASKS = ("order", ONE_BY_ONE_LOOP_TASK)
ASK_AND_MOVE_TASKS = ("slot_free", "ask", "plan_move", "move")

# Every task named above, by its workflow: what the workbook lint checks.
TASKS = {
    ROLLING: (DECIDE_TASK, *PER_HOST_TASKS, *FAILURE_TASKS, PREPARE_VNF_TASK, PLANNED_VNF_TASK),
    ASK_PROJECTS: (ASK_TASK,),
    RUN_PLUGIN: PLUGIN_TASKS,
    ONE_BY_ONE: ONE_BY_ONE_TASKS,
    ASK_AND_MOVE: ASK_AND_MOVE_TASKS,
}


def disable_reason(session_id):
    """The reason a session writes on the nova-compute services it disables;
    cancelling the session gives back exactly the hosts that carry it."""
    return "maintenance %s" % session_id


def next_task(state, workflow):
    """The task of `rolling` that carries out the planner's `state`: each
    state has its task, and the moving states a per-instance one in `vnf`."""
    if state == MAINTENANCE_FAILED:
        return CANNOT_CONTINUE_TASK
    if workflow == VNF_WORKFLOW and state in MOVING_STATES:
        return state.lower() + "_vnf"
    return state.lower()
