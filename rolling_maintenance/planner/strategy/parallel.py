"""Maintain the hosts in rounds, keeping every constraint; one host per
round (`max_parallel_hosts` 1, the default) is Fenix's default workflow:

1. Every host in scope maintained: MAINTENANCE_COMPLETE.
2. Some unmaintained host in scope is empty: START_MAINTENANCE on such
   hosts (empty hosts are maintained first; with a limit of 1 on all of
   them, which the workflow maintains one after the other).
3. Some host maintained: PLANNED_MAINTENANCE on hosts whose instances all
   fit on "safe" targets (maintained hosts, and enabled hosts out of
   scope), so that no instance has to move twice.
4. None maintained yet: PREPARE_MAINTENANCE on hosts whose instances fit
   on the other enabled hosts, those out of scope first.
Otherwise SCALE_IN, or MAINTENANCE_FAILED once the scale-in rounds are used
or a group allows none of its members to be impacted.

A round is a set of unmaintained hosts emptied together and then maintained
together. It is built greedily: candidates are taken in an order, and each
joins the round when its instances all fit on the round's targets next to
what the round already moves there; adding hosts while everything fits
makes each round as wide as the room allows, so the number of rounds,
which dominates the total time, stays near its least. An instance counts
on its source and its target until the round's hosts go into maintenance,
so capacity holds at every moment of the moves. The order:

- serial sessions (a limit of 1): cheapest first (least ram to move, then
  fewest instances, then name), the shortest emptying;
- the first round of a parallel session: roomiest first (most free room),
  since the hosts it maintains are the only room the second round has, and
  the share of instances that may move twice caps it; then widened by
  packing the instances of a longer run of candidates together
  (`packed_round`);
- later rounds, on clouds of up to `rollout.MAX_CLOUD_HOSTS` hosts: the
  round the solver composes (`round_solver`: the hosts of the most size
  that fit, with every target chosen at once), else the greedy round of
  the order (cheapest or roomiest first) whose played-out session ends
  soonest (`rollout`); on larger clouds, cheapest first.

Group impact limits do not narrow a round: they order its moves in time
(`move_schedule`), so two members of a group with `max_impacted_members` 1
may leave two hosts of one round, one after the other.

Targets are maintained hosts and enabled hosts out of scope, so nothing
moves twice; only while no host is
maintained yet (the PREPARE round) do instances go to unmaintained hosts,
and then only when no host out of scope has room; those targets cannot join
that round. A member moved in the previous round and still recovering is
not moved again.
"""

from rolling_maintenance.planner.model import steps
from rolling_maintenance.planner.model.constraints import max_impacted
from rolling_maintenance.planner.model.instance_moves import moved_twice_allowed
from rolling_maintenance.planner.model.wording import plural, size
from rolling_maintenance.planner.placement.evacuation import blocks_on, evacuate
from rolling_maintenance.planner.placement import round_solver
from rolling_maintenance.planner.placement.host_choice import choose_host_to_empty
from rolling_maintenance.planner.placement.move_types import NOT_LIVE_MIGRATABLE
from rolling_maintenance.planner.placement.target_pool import TargetPool
from rolling_maintenance.planner.schedule.duration import cold_s
from rolling_maintenance.planner.schedule.move_schedule import order_moves
from rolling_maintenance.planner.strategy import last_resort, lookahead, packed_round, rollout
from rolling_maintenance.planner.strategy.shared_steps import (
    complete_step,
    done_text,
    safe_pool,
    scale_in_or_fail,
    start_step,
)
from rolling_maintenance.workflow.contract import LIVE_MIGRATE, MIGRATE, OWN_ACTION

# How a round's reason names its targets when some are not maintained yet.
LAST_RESORT_TARGETS = "any host with room, some not maintained yet"


def never_impactable(snapshot, scope):
    """Why some host of `scope` can never be emptied because of its groups,
    or None: a member of a group that allows no member to be impacted can
    never leave its host."""
    for host in scope:
        for instance in snapshot.by_host[host]:
            group = snapshot.groups.get(instance.group_id) if instance.group_id is not None else None
            if max_impacted(group) == 0:
                return "group %s has %s on %s but allows no member to be impacted" % (
                    group.group_id, instance.id, host)
    return None


def choose_type(instance, move, timing):
    """Live or cold: the instance's own type wins; with a
    `max_interruption_time`, cold only when the predicted cold migration
    fits in it, else live."""
    limit = instance.raw.get("max_interruption_time")
    if (limit is None or instance.migration_type is not None or move["type"] == OWN_ACTION
            or instance.status in NOT_LIVE_MIGRATABLE):
        return move["type"]
    return MIGRATE if cold_s(instance, timing) <= limit else LIVE_MIGRATE


def _typed(snapshot, moves, timing):
    """Give each move its type (`choose_type`), in place."""
    for move in moves:
        move["type"] = choose_type(snapshot.instances[move["instance"]], move, timing)


def _recovering_on(snapshot, host, recovering):
    """An instance on `host` still recovering from an earlier move, or None."""
    return next((i.id for i in snapshot.by_host[host] if i.id in recovering), None)


def _emptiable(snapshot, hosts, recovering):
    """The hosts of `hosts` (in their order) with instances, none of them
    still recovering, and none in a group that allows no impact."""
    return [h for h in hosts if snapshot.by_host[h] and _recovering_on(snapshot, h, recovering) is None
            and never_impactable(snapshot, [h]) is None]


class _Round:
    """The round being built: its hosts, moves and the hosts its moves land
    on (those cannot join it)."""

    def __init__(self, snapshot):
        self.snapshot = snapshot
        self.hosts = []
        self.moves = []
        self.targets = set()

    def add(self, host, moves, pool):
        """Take `host` into the round: reserve its moves' room on the
        targets and place its instances there, so the next candidate sees
        them (anti-affinity against members moved in this round)."""
        snapshot = self.snapshot
        if host in pool:
            pool.withdraw(host)
        for move in moves:
            instance = snapshot.instances[move["instance"]]
            pool.take(move["to"], instance.vcpus, instance.ram_mb)
            snapshot.move(instance.id, move["to"])
            self.targets.add(move["to"])
        self.hosts.append(host)
        self.moves.extend(moves)

    def undo(self):
        """Put the snapshot back as it was: a decision changes nothing."""
        for move in reversed(self.moves):
            self.snapshot.move(move["instance"], move["from"])


class PreferredPool(TargetPool):
    """A pool that places on its `preferred` hosts whenever one fits, and
    on the others only then: in the PREPARE round, enabled hosts out of
    scope come before unmaintained ones, so no instance moves twice when it
    need not."""

    def __init__(self, free, preferred):
        super().__init__(free)
        self._preferred = frozenset(preferred)

    def best_fit(self, vcpus, ram_mb, allowed=None):
        if self._preferred:
            names = self._preferred if allowed is None else [h for h in self._preferred if allowed(h)]
            found = super().best_fit_among(names, vcpus, ram_mb)
            if found is not None:
                return found
        return super().best_fit(vcpus, ram_mb, allowed)

    def best_fit_among(self, names, vcpus, ram_mb, rank=None):
        preferred = [n for n in names if n in self._preferred]
        return ((super().best_fit_among(preferred, vcpus, ram_mb, rank) if preferred else None)
                or super().best_fit_among(names, vcpus, ram_mb, rank))


def cheapest_first(snapshot):
    """Least ram to move first, then fewest instances: short emptyings."""
    return lambda h: (snapshot.used[h][1], len(snapshot.by_host[h]), h)


def roomiest_first(snapshot):
    """Most free room first (the smaller share of vcpus and ram free): once
    maintained, such a host adds the most room for the next rounds."""
    def key(h):
        host, (vcpus, ram_mb) = snapshot.hosts[h], snapshot.used[h]
        free = min((host.vcpus - vcpus) / max(1, host.vcpus), (host.ram_mb - ram_mb) / max(1, host.ram_mb))
        return (-free, ram_mb, h)
    return key


ORDERS = {"cheapest": cheapest_first, "roomiest": roomiest_first}


def build_round(snapshot, candidates, pool, default_type, timing, limit, recovering, moved_again=None,
                order_by="cheapest"):
    """`(hosts, moves, why_not)`: the round's hosts in the order taken, the
    moves emptying them, and why the first rejected candidate was rejected;
    candidates are taken in the order `ORDERS[order_by]`. A trial: the
    snapshot and the pool are left as they were found.
    `moved_again`: `(hosts whose instances will move again, most such moves)`:
    a host whose moves would pass that number does not join the round
    (the first host always does)."""
    built = _Round(snapshot)
    mark = pool.mark()
    again = 0
    room_vcpus, room_ram_mb = pool.room()
    why_not = None
    order = sorted(candidates, key=ORDERS[order_by](snapshot))
    try:
        for host in order:
            if limit is not None and len(built.hosts) >= limit:
                break
            if host in built.targets:
                continue
            need_vcpus, need_ram_mb = snapshot.used[host]
            own_vcpus, own_ram_mb = pool.free(host) if host in pool else (0, 0)
            if need_vcpus > room_vcpus - max(0, own_vcpus) or need_ram_mb > room_ram_mb - max(0, own_ram_mb):
                why_not = why_not or "%s: the targets have too little room left" % host
                continue
            still = _recovering_on(snapshot, host, recovering)
            if still is not None:
                why_not = why_not or "%s: instance %s is still recovering" % (host, still)
                continue
            never = never_impactable(snapshot, [host])
            if never is not None:
                why_not = why_not or never
                continue
            moves, stuck = evacuate(snapshot, host, pool, default_type, blocks_on(snapshot, host))
            if moves is None:
                why_not = why_not or "%s" % stuck.describe()
                continue
            if moved_again is not None:
                more = sum(1 for move in moves if move["to"] in moved_again[0])
                if built.hosts and again + more > moved_again[1]:
                    why_not = why_not or "%s: its instances would move twice, past the session's limit" % host
                    continue
                again += more
            _typed(snapshot, moves, timing)
            built.add(host, moves, pool)
            room_vcpus -= need_vcpus + max(0, own_vcpus)
            room_ram_mb -= need_ram_mb + max(0, own_ram_mb)
        return list(built.hosts), list(built.moves), why_not
    finally:
        built.undo()
        pool.rollback(mark)


def _round_text(snapshot, progress, hosts, moves, targets, chosen="cheapest"):
    if len(hosts) > 1:
        return "%s emptied together onto %s: %s to move (%s)" % (
            ", ".join(hosts), targets, plural(len(moves), "instance"), done_text(progress))
    vcpus, ram_mb = snapshot.used[hosts[0]]
    moving = "%s, %s to move" % (plural(len(moves), "instance"), size(vcpus, ram_mb))
    if progress.maintained:
        return "%s is the %s host to empty onto %s: %s (%s)" % (
            hosts[0], chosen, targets, moving, done_text(progress))
    return "%s is the %s to empty onto %s: %s" % (hosts[0], chosen, targets, moving)


def moved_twice_cap(snapshot, progress, percent):
    """`(hosts whose instances will move again, most moves onto them)` for
    the first round: `percent` of the instances on the hosts in scope."""
    return frozenset(progress.scope), moved_twice_allowed(snapshot, progress.scope, percent)


def _targets(snapshot, progress, moved_twice_percent):
    """`(pool, targets text, state, moved_again)` of the next round."""
    if progress.maintained:
        pool, with_others = safe_pool(snapshot, progress)
        targets = "maintained hosts or enabled hosts out of scope" if with_others else "maintained hosts"
        return pool, targets, steps.PLANNED_MAINTENANCE, None
    scope = set(progress.scope)
    enabled = [n for n, h in snapshot.hosts.items() if h.enabled]
    pool = PreferredPool({n: snapshot.free(n) for n in enabled}, [n for n in enabled if n not in scope])
    moved_again = None
    if moved_twice_percent is not None:
        moved_again = moved_twice_cap(snapshot, progress, moved_twice_percent)
    return pool, "the other enabled hosts", steps.PREPARE_MAINTENANCE, moved_again


def decide_parallel(snapshot, progress, limit, timing, recovering=frozenset(), moved_twice_percent=None,
                    order_by="cheapest", explore=True):
    """The next step when up to `limit` hosts (None: no limit) may be
    maintained at once; in the first round at most `moved_twice_percent` of
    the instances (None: any number) go to hosts where they will move again.
    Candidates are taken in the order `order_by`; with `explore`, on clouds
    small enough, the round is the one of several (each order, the solver's)
    after which the session is predicted to end soonest (`rollout`)."""
    maintained = set(progress.maintained)
    todo = [host for host in progress.scope if host not in maintained]
    if not todo:
        return complete_step(snapshot, progress)
    empty = [host for host in todo if not snapshot.by_host[host]]
    if empty:
        # One at a time (limit 1), the workflow maintains them one after
        # the other in one step, as Fenix's default workflow does.
        return start_step(empty if limit in (None, 1) else empty[:limit], progress)
    pool, targets, state, moved_again = _targets(snapshot, progress, moved_twice_percent)
    if not maintained and limit != 1:
        order_by = "roomiest"
    hosts, moves, why_not = build_round(snapshot, todo, pool, progress.default_migration_type, timing,
                                        limit, set(recovering), moved_again, order_by)
    if hosts and not maintained and limit != 1:
        hosts, moves = _widened(snapshot, progress, todo, pool, limit, timing, recovering, moved_again,
                                (hosts, moves))
    if hosts and maintained and explore and limit != 1 and len(snapshot.hosts) <= rollout.MAX_CLOUD_HOSTS:
        hosts, moves = _explored(snapshot, progress, todo, limit, timing, recovering, (hosts, moves),
                                 moved_twice_percent)
    if not hosts and not explore:
        return steps.make_step(steps.MAINTENANCE_FAILED, "no round in order %s: %s" % (order_by, why_not))
    if not hosts:
        blocked = never_impactable(snapshot, todo)
        if blocked is not None:
            return steps.make_step(steps.MAINTENANCE_FAILED, "the session can never finish: %s" % blocked)
        hosts, moves, proof = _last_resort(snapshot, progress, todo, timing, set(recovering))
        if not hosts:
            choice, explanation = choose_host_to_empty(snapshot, todo, pool, progress.default_migration_type)
            if choice is not None:
                explanation = why_not or "no host can be emptied"
            explanation = "%s (%s)" % (explanation, proof.text())
            return scale_in_or_fail(snapshot, progress, targets, explanation, proved=proof.proved)
        targets = LAST_RESORT_TARGETS
    elif explore and lookahead.dead_end(snapshot, progress, todo, hosts, moves):
        better = lookahead.witness_round(snapshot, progress, todo, progress.default_migration_type)
        if better is not None and better[1]:
            return _step(snapshot, progress, better[0], better[1], timing)
    reason = _round_text(snapshot, progress, hosts, moves, targets, "cheapest" if limit == 1 else "chosen")
    if state == steps.PREPARE_MAINTENANCE:
        reason = "no host is empty and none maintained yet: " + reason
    moves = order_moves(snapshot, moves, timing)
    instances = [snapshot.instances[m["instance"]] for m in moves]
    return steps.make_step(state, reason, hosts=hosts, moves=moves, instances=instances)


def _widened(snapshot, progress, todo, pool, limit, timing, recovering, moved_again, greedy):
    """The first round packed together when that makes it wider than
    `greedy` (`packed_round`), else `greedy`."""
    candidates = _emptiable(snapshot, sorted(todo, key=roomiest_first(snapshot)), recovering)
    wider = packed_round.widest_packed_round(snapshot, candidates, pool, progress.default_migration_type,
                                             limit, moved_again, len(greedy[0]))
    if wider is None:
        return greedy
    _typed(snapshot, wider[1], timing)
    return wider


def _explored(snapshot, progress, todo, limit, timing, recovering, greedy, moved_twice_percent):
    """A round after some host is maintained, on a cloud small enough: the
    solver's (`round_solver`), else the greedy round of the order after
    which the session is predicted to end soonest (`rollout`)."""
    composed = _composed(snapshot, progress, todo, limit, timing, recovering, greedy)
    if composed is not None:
        return composed
    options = [greedy]
    for order in ORDERS:
        if order != "cheapest":
            pool = _targets(snapshot, progress, moved_twice_percent)[0]
            found = build_round(snapshot, todo, pool, progress.default_migration_type, timing,
                                limit, set(recovering), None, order)
            if found[0]:
                options.append(found[:2])

    def plan_step(order):
        return decide_parallel(snapshot, progress, limit, timing, frozenset(), moved_twice_percent,
                               order, explore=False)

    return rollout.best_round(snapshot, progress, options, plan_step, timing, list(ORDERS))


def _composed(snapshot, progress, todo, limit, timing, recovering, greedy):
    """The solver's round (`round_solver`) as `(hosts, moves)`, or None when
    it finds none."""
    eligible = _emptiable(snapshot, todo, recovering)
    pool = safe_pool(snapshot, progress)[0]
    targets = {name: snapshot.free(name) for name in sorted(pool.names())}
    composed = round_solver.compose_round(snapshot, eligible, targets, limit,
                                          progress.default_migration_type, hint=greedy)
    if composed is None:
        return None
    _typed(snapshot, composed[1], timing)
    return composed


def _step(snapshot, progress, hosts, moves, timing):
    """The step of a round the look ahead chose (the solver's placement)."""
    _typed(snapshot, moves, timing)
    maintained = set(progress.maintained)
    state = steps.PLANNED_MAINTENANCE if maintained else steps.PREPARE_MAINTENANCE
    targets = "the hosts that keep the rest of the session possible"
    if maintained and any(m["to"] in progress.scope and m["to"] not in maintained for m in moves):
        targets = LAST_RESORT_TARGETS
    reason = _round_text(snapshot, progress, hosts, moves, targets)
    moves = order_moves(snapshot, moves, timing)
    instances = [snapshot.instances[m["instance"]] for m in moves]
    return steps.make_step(state, reason, hosts=hosts, moves=moves, instances=instances)


def _last_resort(snapshot, progress, todo, timing, recovering):
    """One host emptied onto every usable target, the safe ones first: by
    best fit, else by the solver. `(hosts, moves, None)` or `([], [], Proof)`."""
    names = last_resort.usable_targets(snapshot, progress)
    safe, _with_others = safe_pool(snapshot, progress)
    pool = PreferredPool({n: snapshot.free(n) for n in names}, safe.names())
    default_type = progress.default_migration_type
    hosts, moves, _why = build_round(snapshot, todo, pool, default_type, timing, 1, recovering)
    if hosts:
        return hosts, moves, None
    def skip(host):
        return _recovering_on(snapshot, host, recovering) or never_impactable(snapshot, [host])

    host, moves, proof = last_resort.solver_round(snapshot, todo, progress, safe.names(), default_type, skip)
    if host is None:
        return [], [], proof
    _typed(snapshot, moves, timing)
    return [host], moves, None


def decide_round(snapshot, progress, limit, timing, recovering, moved_twice_percent=None):
    """The parallel step; when only recovering instances hold the session
    back, the step that moves them rather than a scale-in or a failure."""
    step = decide_parallel(snapshot, progress, limit, timing, recovering, moved_twice_percent)
    if step["state"] in (steps.SCALE_IN, steps.MAINTENANCE_FAILED) and recovering:
        step = decide_parallel(snapshot, progress, limit, timing, frozenset(), moved_twice_percent)
    return step
