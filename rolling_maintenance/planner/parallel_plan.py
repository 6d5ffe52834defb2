"""A whole parallel plan, round by round, and the parallel step of a session.

`plan_rounds` walks the session on a copy of the cloud as the workflow would
run it: each round's moves are done, then its hosts are maintained. The
planner only sees the order of rounds, not a clock, so recovery is
approximated: a member moved in a round is still recovering during the
next round unless its group's `recovery_time` is at most the least that
round can last (its maintenance, and its busiest source's moves one after
the other). The replay on the clock (`round_clock.simulate_rounds`) then
waits for any member it moves again, so the predicted time never assumes a
recovery that did not happen.
"""

from rolling_maintenance.planner import steps
from rolling_maintenance.planner.constraints import check_constraints, recovery_time
from rolling_maintenance.planner.default_strategy import decide
from rolling_maintenance.planner.duration import move_s, read_timing
from rolling_maintenance.planner.errors import InvalidInput
from rolling_maintenance.planner.fields import describe, is_count
from rolling_maintenance.planner.instance_moves import move_instances
from rolling_maintenance.planner.parallel_strategy import decide_parallel, never_impactable
from rolling_maintenance.planner.progress import parse_progress
from rolling_maintenance.planner.snapshot import parse_snapshot


class Refused(Exception):
    """The cloud cannot be maintained as asked; the message says why."""


def read_limit(value):
    """`max_parallel_hosts`: a positive integer, or None for no limit."""
    if value is None:
        return None
    if not is_count(value) or value < 1:
        raise InvalidInput(["progress: 'max_parallel_hosts' must be a positive integer or null, got %s"
                            % describe(value)])
    return value


def decide_for_progress(snapshot, progress, raw_progress):
    """The parallel step for a parsed `Snapshot` and `Progress`; the limit
    and the recovering instances come from the raw progress dict."""
    limit = read_limit(raw_progress.get("max_parallel_hosts"))
    recovering = raw_progress.get("recovering") or []
    if not isinstance(recovering, list) or not all(isinstance(i, str) for i in recovering):
        raise InvalidInput(["progress: 'recovering' must be a list of instance ids, got %s"
                            % describe(recovering)])
    check_constraints(snapshot)
    timing = read_timing(snapshot.raw.get("timing"))
    return _decide(snapshot, progress, limit, timing, frozenset(recovering))


def _decide(snapshot, progress, limit, timing, recovering):
    """The parallel step; when only recovering instances hold the session
    back, the step that moves them rather than a scale-in or a failure."""
    step = decide_parallel(snapshot, progress, limit, timing, recovering)
    if step["state"] in (steps.SCALE_IN, steps.MAINTENANCE_FAILED) and recovering:
        step = decide_parallel(snapshot, progress, limit, timing, frozenset())
    return step


def _least_duration(one, snapshot, timing):
    """The least a round can last: its busiest source's moves one after the
    other, then its maintenance."""
    per_source = {}
    for move in one["moves"]:
        seconds = move_s(snapshot.instances[move["instance"]], move["type"], timing)
        per_source[move["from"]] = per_source.get(move["from"], 0.0) + seconds
    return max(per_source.values(), default=0.0) + (timing.host_maintenance_s if one["hosts"] else 0)


def _still_recovering(snapshot, moves, seconds):
    found = set()
    for move in moves:
        instance = snapshot.instances[move["instance"]]
        group = snapshot.groups.get(instance.group_id) if instance.group_id else None
        if recovery_time(group) > seconds:
            found.add(instance.id)
    return found


def _refuse(step):
    if step["state"] == steps.SCALE_IN:
        raise Refused("the plan needs the projects to scale in, which a dry run cannot simulate: %s"
                      % step["reason"])
    raise Refused(step["reason"])


def plan_rounds(inventory, max_parallel_hosts=None, hosts=()):
    """`[{"hosts", "moves"}]`: every round of the session, in order.

    `max_parallel_hosts` 1 gives the serial strategy's session. Raises
    `InvalidInput` for bad input and `Refused` when the cloud cannot be
    maintained (an instance that fits nowhere, a group that can never be
    impacted, a plan that would need scale-in).
    """
    snapshot = parse_snapshot(inventory)
    check_constraints(snapshot)
    timing = read_timing(snapshot.raw.get("timing"))
    limit = read_limit(max_parallel_hosts)
    progress = parse_progress({"hosts": list(hosts)}, snapshot)
    blocked = never_impactable(snapshot, progress.scope)
    if blocked is not None:
        raise Refused("the session can never finish: %s" % blocked)
    rounds, recovering = [], frozenset()
    while True:
        if limit == 1:
            step = decide(snapshot, progress)
        else:
            step = _decide(snapshot, progress, limit, timing, recovering)
        state = step["state"]
        if state == steps.MAINTENANCE_COMPLETE:
            return rounds
        if state in (steps.SCALE_IN, steps.MAINTENANCE_FAILED):
            _refuse(step)
        moves = []
        if state in steps.MOVING_STATES:
            moves = step["moves"]
            move_instances(snapshot, moves)
            step = decide(snapshot, progress)
            if step["state"] != steps.START_MAINTENANCE:
                raise RuntimeError("hosts were emptied but the next step is %s" % step["state"])
        if limit == 1 and len(step["hosts"]) > 1:
            # The serial workflow maintains empty hosts one at a time.
            rounds.extend({"hosts": [name], "moves": []} for name in step["hosts"])
            progress.maintained.extend(step["hosts"])
            recovering = frozenset()
            continue
        one = {"hosts": step["hosts"], "moves": moves}
        progress.maintained.extend(step["hosts"])
        rounds.append(one)
        seconds = _least_duration(one, snapshot, timing)
        recovering = frozenset(_still_recovering(snapshot, moves, seconds))
