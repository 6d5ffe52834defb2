"""The default rolling workflow of Fenix, one decision at a time, serial.

1. Every host in scope maintained: MAINTENANCE_COMPLETE.
2. Some unmaintained host in scope is empty: START_MAINTENANCE on every such
   host (empty hosts are maintained first).
3. Some host maintained: PLANNED_MAINTENANCE on the cheapest host whose
   instances all fit on "safe" targets (maintained hosts, and enabled hosts
   out of scope), so that no instance ever has to move twice.
4. None maintained yet: PREPARE_MAINTENANCE on the cheapest host whose
   instances fit on any other enabled host.
Otherwise SCALE_IN, or MAINTENANCE_FAILED once the scale-in rounds are used.
"""

from rolling_maintenance.planner.model import steps
from rolling_maintenance.planner.model.wording import plural, size
from rolling_maintenance.planner.placement.host_choice import choose_host_to_empty
from rolling_maintenance.planner.placement.target_pool import TargetPool
from rolling_maintenance.planner.schedule.move_schedule import order_moves
from rolling_maintenance.planner.strategy.shared_steps import (
    complete_step,
    done_text,
    safe_pool,
    scale_in_or_fail,
    start_step,
)


def _moving_text(snapshot, host):
    vcpus, ram_mb = snapshot.used[host]
    return "%s, %s to move" % (plural(len(snapshot.by_host[host]), "instance"), size(vcpus, ram_mb))


def decide(snapshot, progress):
    """The next step for a `Snapshot` and a `Progress`."""
    maintained = set(progress.maintained)
    todo = [host for host in progress.scope if host not in maintained]
    if not todo:
        return complete_step(snapshot, progress)
    empty = [host for host in todo if not snapshot.by_host[host]]
    if empty:
        return start_step(empty, progress)
    if maintained:
        pool, with_others = safe_pool(snapshot, progress)
        targets = "maintained hosts or enabled hosts out of scope" if with_others else "maintained hosts"
        state = steps.PLANNED_MAINTENANCE
    else:
        pool = TargetPool({n: snapshot.free(n) for n, h in snapshot.hosts.items() if h.enabled})
        targets = "the other enabled hosts"
        state = steps.PREPARE_MAINTENANCE
    choice, explanation = choose_host_to_empty(snapshot, todo, pool, progress.default_migration_type)
    if choice is None:
        return scale_in_or_fail(snapshot, progress, targets, explanation)
    if state == steps.PLANNED_MAINTENANCE:
        reason = "%s is the cheapest host to empty onto %s: %s (%s)" % (
            choice.host, targets, _moving_text(snapshot, choice.host), done_text(progress))
    else:
        reason = "no host is empty and none maintained yet: %s is the cheapest to empty onto %s: %s" % (
            choice.host, targets, _moving_text(snapshot, choice.host))
    return steps.make_step(state, reason, hosts=[choice.host], moves=order_moves(snapshot, choice.moves),
                           instances=snapshot.by_host[choice.host])
