"""How long moves and maintenance take.

Live migration copies the ram while the instance runs, and copies again what
it wrote meanwhile: with a dirty rate d (MB/s) and a copy bandwidth b the
copied total is ram / (1 - d/b), the sum of the rounds of pre-copy; d/b is
capped at 0.9 because Nova forces the switch-over long before it would never
converge. Cold migration copies the disk and ram once with the instance
stopped, so its whole duration is the interruption the instance sees.
"""

from rolling_maintenance.planner.model.constraints import instance_seconds
from rolling_maintenance.planner.model.errors import InvalidInput
from rolling_maintenance.planner.model.fields import describe
from rolling_maintenance.workflow.contract import LIVE_MIGRATE, MIGRATE, OWN_ACTION

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
    return live_s(instance, timing) if move_type == LIVE_MIGRATE else cold_s(instance, timing)


def fastest_move_s(instance, timing):
    """The least a move of this instance can take, whatever its type."""
    allowed = instance.migration_type
    if allowed == LIVE_MIGRATE:
        return live_s(instance, timing)
    if allowed in (MIGRATE, OWN_ACTION):
        return cold_s(instance, timing)
    return min(live_s(instance, timing), cold_s(instance, timing))
