"""Choosing the next round by what follows it, on clouds small enough.

A round chosen on its own merits can leave the next rounds little room:
cheapest hosts first keeps this round's emptying short, but the hosts with
the most free room, once maintained, let the next rounds grow. So each
candidate round (one per order of the candidates, and the solver's) is
played out: the round, then the rest of the session with rounds built
greedily in one order, and the candidate whose session is predicted to end
soonest (on the clock of `round_clock`) is taken. The play-outs use the
same strategy without exploring, so the session that follows the chosen
round is at least as good as the one predicted for it.
"""

import math

from rolling_maintenance.planner.model import steps
from rolling_maintenance.planner.schedule.round_clock import makespan, simulate_rounds

# Clouds up to this many hosts are played out.
MAX_CLOUD_HOSTS = 500


def played_out_s(snapshot, progress, first, plan_step, timing, order):
    """Predicted seconds from now when the round `first` (`(hosts, moves)`)
    is done next and every later round is `plan_step(order)`'s; infinite
    when that strategy gets stuck. The snapshot and progress are left as found."""
    rounds, done, maintained = [{"hosts": first[0], "moves": first[1]}], [], len(progress.maintained)
    try:
        for move in first[1]:
            done.append((move["instance"], snapshot.instances[move["instance"]].host))
            snapshot.move(move["instance"], move["to"])
        progress.maintained.extend(first[0])
        while True:
            step = plan_step(order)
            state = step["state"]
            if state == steps.MAINTENANCE_COMPLETE:
                return makespan(simulate_rounds(rounds, snapshot, timing))
            if state not in steps.MOVING_STATES and state != steps.START_MAINTENANCE:
                return math.inf
            for move in step["moves"]:
                done.append((move["instance"], snapshot.instances[move["instance"]].host))
                snapshot.move(move["instance"], move["to"])
            rounds.append({"hosts": step["hosts"], "moves": step["moves"]})
            progress.maintained.extend(step["hosts"])
    finally:
        for instance_id, host in reversed(done):
            snapshot.move(instance_id, host)
        del progress.maintained[maintained:]


def best_round(snapshot, progress, options, plan_step, timing, orders):
    """The `(hosts, moves)` of `options` whose session, played out in the
    best of `orders`, ends soonest; the first on a tie."""
    if len(options) == 1:
        return options[0]
    best, best_s = options[0], math.inf
    for option in options:
        seconds = min(played_out_s(snapshot, progress, option, plan_step, timing, order) for order in orders)
        if seconds < best_s:
            best, best_s = option, seconds
    return best
