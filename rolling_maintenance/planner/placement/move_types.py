"""How each planned move is to be carried out."""

from rolling_maintenance.workflow.contract import LIVE_MIGRATE, MIGRATE, OWN_ACTION

# Nova live-migrates only running (or paused) servers; a stopped one must be
# cold-migrated.
NOT_LIVE_MIGRATABLE = ("SHUTOFF",)


def move_type(instance, default, together):
    """The type of one move.

    `together`: the instance moves with the rest of its affinity group.
    Nova cannot migrate one member away from the others, so the project's
    manager re-creates them (OWN_ACTION). Otherwise the instance's own
    `migration_type` wins, then the session's default, except that a stopped
    instance is cold-migrated where the default is live migration.
    """
    if together:
        return OWN_ACTION
    if instance.migration_type is not None:
        return instance.migration_type
    if default == LIVE_MIGRATE and instance.status in NOT_LIVE_MIGRATABLE:
        return MIGRATE
    return default
