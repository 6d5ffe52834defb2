"""The session's next step: rounds of at most `max_parallel_hosts` hosts,
one host at a time (serial, the default) being a limit of 1. Reads and
checks the planner's input once."""

from rolling_maintenance.planner.model.constraints import check_constraints
from rolling_maintenance.planner.model.errors import InvalidInput
from rolling_maintenance.planner.model.fields import describe, is_count
from rolling_maintenance.planner.model.progress import parse_progress
from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.schedule.duration import read_timing
from rolling_maintenance.planner.strategy.parallel import decide_round
from rolling_maintenance.workflow.session_input import DEFAULTS as SESSION_DEFAULTS


def read_limit(value):
    """`max_parallel_hosts`: a positive integer, or None for no limit."""
    if value is None:
        return None
    if not is_count(value) or value < 1:
        raise InvalidInput(["progress: 'max_parallel_hosts' must be a positive integer or null, got %s"
                            % describe(value)])
    return value


def read_moved_twice_percent(value):
    """`max_moved_twice_percent`: an integer from 0 to 100 (absent or null: the session's default)."""
    if value is None:
        return SESSION_DEFAULTS["max_moved_twice_percent"]
    if not is_count(value) or value > 100:
        raise InvalidInput(["progress: 'max_moved_twice_percent' must be an integer from 0 to 100, got %s"
                            % describe(value)])
    return value


def decide(snapshot, progress, limit=1, recovering=frozenset(), moved_twice_percent=None):
    """The next step for a parsed `Snapshot` and `Progress` when up to
    `limit` hosts (None: no limit) may be maintained at once and at most
    `moved_twice_percent` of the instances move twice (None: the default)."""
    check_constraints(snapshot)
    timing = read_timing(snapshot.raw.get("timing"))
    return decide_round(snapshot, progress, limit, timing, frozenset(recovering),
                        read_moved_twice_percent(moved_twice_percent))


def decide_for_progress(snapshot, progress, raw_progress):
    """The step for a parsed `Snapshot` and `Progress`; the limit and the
    recovering instances come from the raw progress dict."""
    limit = read_limit(raw_progress.get("max_parallel_hosts", 1))
    recovering = raw_progress.get("recovering") or []
    if not isinstance(recovering, list) or not all(isinstance(i, str) for i in recovering):
        raise InvalidInput(["progress: 'recovering' must be a list of instance ids, got %s"
                            % describe(recovering)])
    return decide(snapshot, progress, limit, recovering, raw_progress.get("max_moved_twice_percent"))


def plan_next(snapshot, progress):
    """What the maintenance session does next, from plain data to plain data.

    `snapshot`: `{"hosts", "instances", "groups"}` (inventory format);
    `progress`: `{"hosts", "maintained", "scale_in_rounds",
    "max_scale_in_rounds", "default_migration_type"}`, optionally
    `"max_parallel_hosts"` (1, the default: one host at a time; N: at most N
    per round; None: as many as the constraints allow),
    `"max_moved_twice_percent"` (10, the default: at most that share of the
    instances move twice, to hosts not maintained yet) and `"recovering"`
    (ids of instances impacted in the previous round, still recovering).
    Returns `{"state",
    "reason", "hosts", "moves", "projects", "instances_by_project"}`.
    Raises `InvalidInput` naming every problem of the input.
    """
    snap = parse_snapshot(snapshot)
    prog = parse_progress(progress, snap)
    return decide_for_progress(snap, prog, progress)
