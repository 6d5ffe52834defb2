"""A whole plan, round by round, as the session would run it.

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

from rolling_maintenance.planner.model import steps
from rolling_maintenance.planner.model.constraints import check_constraints, recovery_time
from rolling_maintenance.planner.model.instance_moves import move_instances
from rolling_maintenance.planner.model.progress import parse_progress
from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.placement.nowhere import fits_nowhere
from rolling_maintenance.planner.schedule.duration import move_s, read_timing
from rolling_maintenance.planner.strategy.next_step import read_limit, read_moved_twice_percent
from rolling_maintenance.planner.strategy.parallel import decide_round, never_impactable


class Refused(Exception):
    """The cloud cannot be maintained as asked; the message says why."""


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


def plan_rounds(inventory, max_parallel_hosts=None, hosts=(), max_moved_twice_percent=None):
    """`[{"hosts", "moves"}]`: every round of the session, in order.

    `max_parallel_hosts` 1 gives the serial session (one host at a time);
    `max_moved_twice_percent` caps the instances of the first round (None:
    the session's default, 10). Raises
    `InvalidInput` for bad input and `Refused` when the cloud cannot be
    maintained (an instance or group that fits nowhere, named; a group that
    can never be impacted; a plan that would need scale-in, which is asked
    only when the solver proves that no host left can be emptied).
    """
    snapshot = parse_snapshot(inventory)
    check_constraints(snapshot)
    timing = read_timing(snapshot.raw.get("timing"))
    limit = read_limit(max_parallel_hosts)
    moved_twice = read_moved_twice_percent(max_moved_twice_percent)
    progress = parse_progress({"hosts": list(hosts)}, snapshot)
    blocked = never_impactable(snapshot, progress.scope)
    if blocked is not None:
        raise Refused("the session can never finish: %s" % blocked)
    nowhere = fits_nowhere(snapshot, progress.scope)
    if nowhere:
        raise Refused("the cloud cannot be maintained as it is: %s" % "; ".join(nowhere))
    rounds, recovering = [], frozenset()
    while True:
        step = decide_round(snapshot, progress, limit, timing, recovering, moved_twice)
        state = step["state"]
        if state == steps.MAINTENANCE_COMPLETE:
            return rounds
        if state in (steps.SCALE_IN, steps.MAINTENANCE_FAILED):
            _refuse(step)
        moves = []
        if state in steps.MOVING_STATES:
            moves = step["moves"]
            move_instances(snapshot, moves)
            step = decide_round(snapshot, progress, None, timing, frozenset())
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
