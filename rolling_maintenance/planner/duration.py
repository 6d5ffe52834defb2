"""How long moves and maintenance take, and a session replayed on a clock.

Live migration copies the ram while the instance runs, and copies again what
it wrote meanwhile: with a dirty rate d (MB/s) and a copy bandwidth b the
copied total is ram / (1 - d/b), the sum of the rounds of pre-copy; d/b is
capped at 0.9 because Nova forces the switch-over long before it would never
converge. Cold migration copies the disk and ram once with the instance
stopped, so its whole duration is the interruption the instance sees.
"""

import heapq

from rolling_maintenance.planner.constraints import instance_seconds, recovery_time
from rolling_maintenance.planner.errors import InvalidInput
from rolling_maintenance.planner.fields import describe

DEFAULT_TIMING = {"host_maintenance_s": 600, "live_migration_s_per_gib": 8, "cold_migration_s_per_gib": 4}
MAX_DIRTY_RATIO = 0.9


class Timing:
    __slots__ = ("cold_s_per_gib", "host_maintenance_s", "live_s_per_gib")

    def __init__(self, host_maintenance_s, live_s_per_gib, cold_s_per_gib):
        self.host_maintenance_s = host_maintenance_s
        self.live_s_per_gib = live_s_per_gib
        self.cold_s_per_gib = cold_s_per_gib

    def to_dict(self):
        return {"host_maintenance_s": self.host_maintenance_s,
                "live_migration_s_per_gib": self.live_s_per_gib,
                "cold_migration_s_per_gib": self.cold_s_per_gib}


def read_timing(raw):
    """A `Timing` from the inventory's `timing` (defaults for absent keys)."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise InvalidInput(["timing: must be an object, got %s" % type(raw).__name__])
    values, errors = {}, []
    for key, default in DEFAULT_TIMING.items():
        value = raw.get(key, default)
        if value is None:
            value = default
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            errors.append("timing: '%s' must be a non-negative number, got %s" % (key, describe(value)))
        values[key] = value
    if errors:
        raise InvalidInput(errors)
    return Timing(values["host_maintenance_s"], values["live_migration_s_per_gib"],
                  values["cold_migration_s_per_gib"])


def live_s(instance, timing):
    seconds = instance.ram_mb / 1024.0 * timing.live_s_per_gib
    dirty = instance_seconds(instance, "ram_dirty_rate")
    if dirty and timing.live_s_per_gib > 0:
        bandwidth_mb_s = 1024.0 / timing.live_s_per_gib
        seconds /= 1.0 - min(dirty / bandwidth_mb_s, MAX_DIRTY_RATIO)
    return seconds


def cold_s(instance, timing):
    return instance.ram_mb / 1024.0 * timing.cold_s_per_gib


def move_s(instance, move_type, timing):
    """Seconds one move keeps its source busy; a project's own action is
    counted as a cold move (the instance is re-created elsewhere)."""
    return live_s(instance, timing) if move_type == "LIVE_MIGRATE" else cold_s(instance, timing)


def fastest_move_s(instance, timing):
    """The least a move of this instance can take, whatever its type."""
    allowed = instance.migration_type
    if allowed == "LIVE_MIGRATE":
        return live_s(instance, timing)
    if allowed in ("MIGRATE", "OWN_ACTION"):
        return cold_s(instance, timing)
    return min(live_s(instance, timing), cold_s(instance, timing))


def _evacuate(moves, start, instances, timing):
    """Run every source's moves one after the other (Nova migrates one
    instance per source at a time), sources in parallel; returns the time
    the last one ends and `[(move, start, end)]`."""
    queues = {}
    for move in moves:
        queues.setdefault(move["from"], []).append(move)
    events, timeline, end = [], [], start
    for source in sorted(queues):
        queues[source].reverse()
        heapq.heappush(events, (start, source))
    while events:
        now, source = heapq.heappop(events)
        end = max(end, now)
        if not queues[source]:
            continue
        move = queues[source].pop()
        done = now + move_s(instances[move["instance"]], move["type"], timing)
        timeline.append((move, now, done))
        heapq.heappush(events, (done, source))
    return end, timeline


def simulate_rounds(rounds, snapshot, timing):
    """Replay `rounds` (`[{"hosts", "moves"}]`, in order) on a clock.

    A round starts when the previous one ended, waits for its projects'
    `lead_time` and for every member it moves again to have recovered, moves
    its instances, then maintains all its hosts at once (the workflow starts
    maintenance once the round's moves are done). Returns one dict per round:
    `start_s`, `end_s`, `maintenance_start_s` and `moves` as
    `[(move, start_s, end_s)]`.
    """
    instances = snapshot.instances
    ready = {}
    clock, replay = 0.0, []
    for one in rounds:
        start = clock
        go = start
        for move in one["moves"]:
            instance = instances[move["instance"]]
            go = max(go, start + instance_seconds(instance, "lead_time"), ready.get(instance.id, 0.0))
        evacuated, timeline = _evacuate(one["moves"], go, instances, timing)
        for move, _begin, done in timeline:
            instance = instances[move["instance"]]
            group = snapshot.groups.get(instance.group_id) if instance.group_id else None
            ready[instance.id] = done + recovery_time(group)
        end = evacuated + (timing.host_maintenance_s if one["hosts"] else 0)
        replay.append({"start_s": start, "end_s": end, "maintenance_start_s": evacuated, "moves": timeline})
        clock = end
    return replay


def makespan(replay):
    return replay[-1]["end_s"] if replay else 0.0
