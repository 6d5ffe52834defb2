"""How long simulated operations take, from the inventory's `timing`."""

import dataclasses

DEFAULTS = {
    "live_migration_s_per_gib": 4.0,
    "cold_migration_s_per_gib": 8.0,
    "migration_min_s": 2.0,
    "boot_s": 3.0,
    "host_maintenance_s": 30.0,
    "max_concurrent_live_migrations": 1,
    "scheduler_stale_view_s": 1.0,
    "confirm_s": 0.3,
    "post_live_migration_s": 0.3,
}


@dataclasses.dataclass(frozen=True)
class Timing:
    live_migration_s_per_gib: float = DEFAULTS["live_migration_s_per_gib"]
    cold_migration_s_per_gib: float = DEFAULTS["cold_migration_s_per_gib"]
    migration_min_s: float = DEFAULTS["migration_min_s"]
    boot_s: float = DEFAULTS["boot_s"]
    host_maintenance_s: float = DEFAULTS["host_maintenance_s"]
    # Nova runs one live migration at a time per source host by default;
    # the others wait in status 'queued'. 0 means no limit.
    max_concurrent_live_migrations: int = DEFAULTS["max_concurrent_live_migrations"]
    # After a live migration Nova's scheduler still counts the instance on the
    # host it left until that host's next instance sync (up to 120 s in Nova);
    # group policies are checked against that stale view for this long.
    scheduler_stale_view_s: float = DEFAULTS["scheduler_stale_view_s"]
    # A confirmed resize shows `confirming` this long before `confirmed`.
    confirm_s: float = DEFAULTS["confirm_s"]
    # A live-migrated server runs ACTIVE on its destination this long before its
    # record says `completed` (Nova's source host audits its resources first).
    post_live_migration_s: float = DEFAULTS["post_live_migration_s"]

    @classmethod
    def from_dict(cls, data):
        """Known keys are validated, unknown keys ignored (other tools add theirs)."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ValueError("timing must be an object, got %s" % type(data).__name__)
        values = {}
        for key, default in DEFAULTS.items():
            if key not in data or data[key] is None:
                continue
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError("timing.%s must be a number >= 0, got %r" % (key, value))
            values[key] = int(value) if isinstance(default, int) else float(value)
        return cls(**values)

    def live_migration_s(self, ram_mb):
        return max(self.migration_min_s, ram_mb / 1024.0 * self.live_migration_s_per_gib)

    def cold_migration_s(self, ram_mb):
        return max(self.migration_min_s, ram_mb / 1024.0 * self.cold_migration_s_per_gib)

    def as_dict(self):
        return dataclasses.asdict(self)
