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

from rolling_maintenance.planner import steps
from rolling_maintenance.planner.host_choice import choose_host_to_empty
from rolling_maintenance.planner.move_schedule import order_moves
from rolling_maintenance.planner.progress import parse_progress
from rolling_maintenance.planner.snapshot import parse_snapshot
from rolling_maintenance.planner.target_pool import TargetPool
from rolling_maintenance.planner.wording import plural, size


def _instances_on(snapshot, hosts):
    return [instance for host in hosts for instance in snapshot.by_host[host]]


def _done_text(progress):
    return "%d of %d hosts maintained" % (len(progress.maintained), len(progress.scope))


def _moving_text(snapshot, host):
    vcpus, ram_mb = snapshot.used[host]
    return "%s, %s to move" % (plural(len(snapshot.by_host[host]), "instance"), size(vcpus, ram_mb))


def _safe_pool(snapshot, progress):
    """Maintained hosts (re-enabled after their maintenance) and enabled
    hosts out of scope: nothing placed there will have to move again."""
    scope = set(progress.scope)
    names = set(progress.maintained)
    names.update(n for n, h in snapshot.hosts.items() if h.enabled and n not in scope)
    return TargetPool({n: snapshot.free(n) for n in names}), len(names) > len(progress.maintained)


def _complete(snapshot, progress):
    if not progress.scope:
        reason = "no host is in scope: nothing to maintain"
    else:
        reason = "all %s in scope are maintained" % plural(len(progress.scope), "host")
    return steps.make_step(steps.MAINTENANCE_COMPLETE, reason,
                           instances=_instances_on(snapshot, progress.scope))


def _start(empty, progress):
    verb = "is" if len(empty) == 1 else "are"
    reason = "%s %s empty and not maintained yet; empty hosts are maintained first (%s)" % (
        ", ".join(empty), verb, _done_text(progress))
    return steps.make_step(steps.START_MAINTENANCE, reason, hosts=empty)


def _scale_in_or_fail(snapshot, progress, targets, explanation):
    rounds, most = progress.scale_in_rounds, progress.max_scale_in_rounds
    if rounds >= most:
        reason = "no host can be emptied onto %s after %s of scale-in (at most %d): %s" % (
            targets, plural(rounds, "round"), most, explanation)
        return steps.make_step(steps.MAINTENANCE_FAILED, reason)
    reason = "no host can be emptied onto %s: %s; projects are asked to scale in (round %d of %d)" % (
        targets, explanation, rounds + 1, most)
    return steps.make_step(steps.SCALE_IN, reason, instances=_instances_on(snapshot, progress.scope))


def decide(snapshot, progress):
    """The next step for a `Snapshot` and a `Progress`."""
    maintained = set(progress.maintained)
    todo = [host for host in progress.scope if host not in maintained]
    if not todo:
        return _complete(snapshot, progress)
    empty = [host for host in todo if not snapshot.by_host[host]]
    if empty:
        return _start(empty, progress)
    if maintained:
        pool, with_others = _safe_pool(snapshot, progress)
        targets = "maintained hosts or enabled hosts out of scope" if with_others else "maintained hosts"
        state = steps.PLANNED_MAINTENANCE
    else:
        pool = TargetPool({n: snapshot.free(n) for n, h in snapshot.hosts.items() if h.enabled})
        targets = "the other enabled hosts"
        state = steps.PREPARE_MAINTENANCE
    choice, explanation = choose_host_to_empty(snapshot, todo, pool, progress.default_migration_type)
    if choice is None:
        return _scale_in_or_fail(snapshot, progress, targets, explanation)
    if state == steps.PLANNED_MAINTENANCE:
        reason = "%s is the cheapest host to empty onto %s: %s (%s)" % (
            choice.host, targets, _moving_text(snapshot, choice.host), _done_text(progress))
    else:
        reason = "no host is empty and none maintained yet: %s is the cheapest to empty onto %s: %s" % (
            choice.host, targets, _moving_text(snapshot, choice.host))
    return steps.make_step(state, reason, hosts=[choice.host], moves=order_moves(snapshot, choice.moves),
                           instances=snapshot.by_host[choice.host])


def plan_next(snapshot, progress):
    """What the maintenance session does next, from plain data to plain data.

    `snapshot`: `{"hosts", "instances", "groups"}` (inventory format);
    `progress`: `{"hosts", "maintained", "scale_in_rounds",
    "max_scale_in_rounds", "default_migration_type"}`, optionally
    `"max_parallel_hosts"` (1, the default: one host at a time; N: at most N
    per round; None: as many as the constraints allow) and `"recovering"`
    (ids of instances impacted in the previous round, still recovering).
    Returns `{"state",
    "reason", "hosts", "moves", "projects", "instances_by_project"}`.
    Raises `InvalidInput` naming every problem of the input.
    """
    snap = parse_snapshot(snapshot)
    prog = parse_progress(progress, snap)
    limit = progress.get("max_parallel_hosts", 1)
    if limit == 1:
        return decide(snap, prog)
    from rolling_maintenance.planner import parallel_plan

    return parallel_plan.decide_for_progress(snap, prog, progress)
