"""The steps and the safe target pool every round of the strategy builds on."""

from rolling_maintenance.planner.model import steps
from rolling_maintenance.planner.model.wording import plural
from rolling_maintenance.planner.placement.target_pool import TargetPool


def instances_on(snapshot, hosts):
    """Every instance on `hosts`, host by host."""
    return [instance for host in hosts for instance in snapshot.by_host[host]]


def done_text(progress):
    """How far the session is, for a step's reason."""
    return "%d of %d hosts maintained" % (len(progress.maintained), len(progress.scope))


def safe_pool(snapshot, progress):
    """Maintained hosts (re-enabled after their maintenance) and enabled
    hosts out of scope: nothing placed there will have to move again.
    Returns the pool and whether hosts out of scope are in it."""
    scope = set(progress.scope)
    names = set(progress.maintained)
    names.update(n for n, h in snapshot.hosts.items() if h.enabled and n not in scope)
    return TargetPool({n: snapshot.free(n) for n in names}), len(names) > len(progress.maintained)


def complete_step(snapshot, progress):
    """MAINTENANCE_COMPLETE: every host in scope is maintained."""
    if not progress.scope:
        reason = "no host is in scope: nothing to maintain"
    else:
        reason = "all %s in scope are maintained" % plural(len(progress.scope), "host")
    return steps.make_step(steps.MAINTENANCE_COMPLETE, reason,
                           instances=instances_on(snapshot, progress.scope))


def start_step(empty, progress):
    """START_MAINTENANCE on the `empty` hosts."""
    verb = "is" if len(empty) == 1 else "are"
    reason = "%s %s empty and not maintained yet; empty hosts are maintained first (%s)" % (
        ", ".join(empty), verb, done_text(progress))
    return steps.make_step(steps.START_MAINTENANCE, reason, hosts=empty)


def scale_in_or_fail(snapshot, progress, targets, explanation, proved=True):
    """SCALE_IN while scale-in rounds are left, else MAINTENANCE_FAILED;
    MAINTENANCE_FAILED at once when it is not proved that no host can be
    emptied (the projects are never asked to scale in for nothing)."""
    rounds, most = progress.scale_in_rounds, progress.max_scale_in_rounds
    if not proved:
        reason = "no host could be emptied onto %s: %s" % (targets, explanation)
        return steps.make_step(steps.MAINTENANCE_FAILED, reason)
    if rounds >= most:
        reason = "no host can be emptied onto %s after %s of scale-in (at most %d): %s" % (
            targets, plural(rounds, "round"), most, explanation)
        return steps.make_step(steps.MAINTENANCE_FAILED, reason)
    reason = "no host can be emptied onto %s: %s; projects are asked to scale in (round %d of %d)" % (
        targets, explanation, rounds + 1, most)
    return steps.make_step(steps.SCALE_IN, reason, instances=instances_on(snapshot, progress.scope))
