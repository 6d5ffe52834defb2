"""A plan's rounds replayed on a clock: the predicted time of a session."""

from rolling_maintenance.planner.model.constraints import instance_seconds, recovery_time
from rolling_maintenance.planner.schedule.move_schedule import schedule_moves


def simulate_rounds(rounds, snapshot, timing):
    """Replay `rounds` (`[{"hosts", "moves"}]`, in order) on a clock.

    A round starts when the previous one ended; each move waits for its
    project's `lead_time`, for its instance to have recovered from a move
    of an earlier round and for its `after` moves (see `move_schedule`);
    the round's hosts are maintained together once its moves are done (the
    workflow starts maintenance when the round's moves are). Returns one
    dict per round: `start_s`, `end_s`, `maintenance_start_s` and `moves` as
    `[(move, start_s, end_s)]`.
    """
    instances = snapshot.instances
    recovered = {}
    clock, replay = 0.0, []
    for one in rounds:
        start = clock
        ready = {}
        for move in one["moves"]:
            instance = instances[move["instance"]]
            ready[instance.id] = max(start + instance_seconds(instance, "lead_time"),
                                     recovered.get(instance.id, 0.0))
        timeline = schedule_moves(one["moves"], snapshot, timing, start, ready, plan=False)
        evacuated = max([start] + [end for _move, _begin, end in timeline])
        for move, _begin, done in timeline:
            instance = instances[move["instance"]]
            group = snapshot.groups.get(instance.group_id) if instance.group_id else None
            recovered[instance.id] = done + recovery_time(group)
        end = evacuated + (timing.host_maintenance_s if one["hosts"] else 0)
        replay.append({"start_s": start, "end_s": end, "maintenance_start_s": evacuated, "moves": timeline})
        clock = end
    return replay


def makespan(replay):
    return replay[-1]["end_s"] if replay else 0.0
