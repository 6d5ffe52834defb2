"""The dry run's plan as plain data: rounds on a clock, totals and the bound."""

from rolling_maintenance.planner.model.instance_moves import moved_twice_allowed
from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.offline.lower_bound import bounds_s
from rolling_maintenance.planner.offline.proven_bound import DEFAULT_TIME_LIMIT_S, proven_bound
from rolling_maintenance.planner.offline.rounds import plan_rounds
from rolling_maintenance.planner.schedule.duration import read_timing
from rolling_maintenance.planner.schedule.round_clock import makespan, simulate_rounds
from rolling_maintenance.planner.strategy.next_step import read_moved_twice_percent

MOVE_KEYS = ("instance", "from", "to", "type")


def _listed_move(move):
    """A move as the report gives it; `after`: the instances it waits for
    (the group impact limits, see `planner/schedule/move_schedule.py`)."""
    listed = {key: move[key] for key in MOVE_KEYS}
    listed["after"] = list(move.get("after") or [])
    return listed


def _seconds(value):
    return round(value, 3)


def timed_rounds(inventory, rounds):
    """The replay of `rounds` on the clock, for the report and the timeline."""
    snapshot = parse_snapshot(inventory)
    return simulate_rounds(rounds, snapshot, read_timing(snapshot.raw.get("timing")))


def _rounded(value):
    return None if value is None else _seconds(value)


def plan_report(inventory, max_parallel_hosts=None, hosts=(), bound_time_limit_s=DEFAULT_TIME_LIMIT_S,
                max_moved_twice_percent=None):
    """`{"rounds": [{"hosts", "moves", "start_s", "end_s"}], "predicted_duration_s",
    "migrations", "lower_bound_s", "any_order_bound_s", "proven_bound"}`
    (`proven_bound`: see `planner/offline/proven_bound.py`); raises `InvalidInput`
    or `Refused`."""
    rounds = plan_rounds(inventory, max_parallel_hosts, hosts, max_moved_twice_percent)
    replay = timed_rounds(inventory, rounds)
    listed = [{
        "hosts": list(one["hosts"]),
        "moves": [_listed_move(move) for move in one["moves"]],
        "start_s": _seconds(timed["start_s"]),
        "end_s": _seconds(timed["end_s"]),
    } for one, timed in zip(rounds, replay, strict=True)]
    facts = bounds_s(inventory, hosts)
    snapshot = parse_snapshot(inventory)
    most_twice = moved_twice_allowed(snapshot, list(hosts) or sorted(snapshot.hosts),
                                     read_moved_twice_percent(max_moved_twice_percent))
    proven = proven_bound(inventory, hosts, bound_time_limit_s, facts, most_twice)
    limited = proven["moved_twice_limited"]
    proven["moved_twice_limited"] = dict(limited, seconds=_rounded(limited["seconds"]))
    return {
        "rounds": listed,
        "predicted_duration_s": _seconds(makespan(replay)),
        "migrations": sum(len(one["moves"]) for one in rounds),
        "instances_moved_twice": moved_twice(rounds),
        "lower_bound_s": _rounded(facts["rounds"]),
        "any_order_bound_s": _rounded(facts["any_order"]),
        "proven_bound": dict(proven, seconds=_rounded(proven["seconds"])),
    }


def moved_twice(rounds):
    """Instances that move more than once in `rounds`."""
    moves = {}
    for one in rounds:
        for move in one["moves"]:
            moves[move["instance"]] = moves.get(move["instance"], 0) + 1
    return sum(1 for count in moves.values() if count > 1)


def plan_text(report):
    """The report as an operator reads it."""
    lines = []
    for number, one in enumerate(report["rounds"], 1):
        lines.append("round %d: %.0f s -> %.0f s, maintain %s" % (
            number, one["start_s"], one["end_s"], ", ".join(one["hosts"])))
        lines.extend("  move %s %s -> %s (%s)%s" % (
            m["instance"], m["from"], m["to"], m["type"],
            " after %s" % ", ".join(m["after"]) if m["after"] else "") for m in one["moves"])
    proven = report["proven_bound"]
    lines.append("%d rounds, %d migrations (%d instances move twice), predicted duration %.0f s "
                 "(lower bound %s s, proven bound %s s: %s)" % (
        len(report["rounds"]), report["migrations"], report["instances_moved_twice"], report["predicted_duration_s"],
        _text(report["lower_bound_s"]), _text(proven["seconds"]), proven["source"]))
    return "\n".join(lines)


def _text(seconds):
    return "n/a" if seconds is None else "%.0f" % seconds
