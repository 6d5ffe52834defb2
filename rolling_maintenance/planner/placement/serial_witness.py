"""A proof that a cloud can be maintained: a serial plan found with CP-SAT.

One host at a time is emptied onto the hosts a plan may use as the cloud
stands then (nothing else moves), under the rules of `empty_at_once`, and
stays a target once maintained. When every host in scope gets its turn,
the order and the placements are a valid plan, so the cloud is feasible.
When no host left can be emptied, the hosts left are named (the order
tried is a greedy one, so this does not prove the cloud infeasible).
"""

import copy

from rolling_maintenance.planner.placement.solver_placement import placement_moves, solve_emptying
from rolling_maintenance.workflow.contract import LIVE_MIGRATE


def empty_onto_others(snapshot, name, targets, maintained=(), time_limit_s=5.0):
    """`{instance id: target}` that empties `name` onto `targets` as the
    cloud stands, as much as it can onto `maintained` hosts (what lands
    elsewhere moves again later); {} for an empty host; None when the solver
    finds none."""
    return solve_emptying(snapshot, name, targets, maintained, time_limit_s).placement


def hardest_first(snapshot, scope):
    """Hosts whose biggest instance takes the largest share of a host first
    (they need the room most), then by name."""
    most_vcpus = max((h.vcpus for h in snapshot.hosts.values()), default=1) or 1
    most_ram_mb = max((h.ram_mb for h in snapshot.hosts.values()), default=1) or 1

    def share(name):
        return max(((max(i.vcpus / most_vcpus, i.ram_mb / most_ram_mb), i.vcpus / most_vcpus + i.ram_mb / most_ram_mb)
                    for i in snapshot.by_host[name]), default=(0.0, 0.0))

    return sorted(scope, key=lambda name: (tuple(-x for x in share(name)), name))


def serial_witness(snapshot, scope, time_limit_s=5.0, maintained=(), default_type=LIVE_MIGRATE,
                   max_trials=None):
    """`(order, [], rounds)`: the hosts of `scope` in an order a serial plan
    can empty them, and that plan (`[{"hosts": [host], "moves"}]`); or
    `(order so far, hosts left, rounds so far)` when it got stuck.
    `maintained`: hosts maintained already (targets from the start). The
    hosts are tried hardest first; on a dead end the search backs up and
    tries the next host, up to `max_trials` emptyings tried (default: a
    few per host)."""
    search = _Search(time_limit_s, default_type, max_trials or 4 * len(scope) + 8)
    found = search.run(copy.deepcopy(snapshot), hardest_first(snapshot, scope), list(maintained), [])
    return found if found is not None else search.best


class _Search:
    """A depth-first search over the order of the hosts, each emptied by the solver."""

    def __init__(self, time_limit_s, default_type, max_trials):
        self.time_limit_s = time_limit_s
        self.default_type = default_type
        self.trials = max_trials
        self.failed = set()
        self.best = None

    def run(self, cloud, left, done, rounds):
        if not left:
            return [r["hosts"][0] for r in rounds], [], rounds
        order = [r["hosts"][0] for r in rounds]
        if self.best is None or len(order) > len(self.best[0]):
            self.best = (order, list(left), list(rounds))
        key = (frozenset(done), tuple(i.host for i in cloud.instances.values()))
        if key in self.failed:
            return None
        for name in left:
            if self.trials <= 0:
                break
            self.trials -= 1
            targets = [n for n, h in cloud.hosts.items() if n != name and (h.enabled or n in done)]
            placement = empty_onto_others(cloud, name, targets, done, self.time_limit_s)
            if placement is None:
                continue
            moves = placement_moves(cloud, name, placement, self.default_type)
            for move in moves:
                cloud.move(move["instance"], move["to"])
            found = self.run(cloud, [n for n in left if n != name], done + [name],
                             rounds + [{"hosts": [name], "moves": moves}])
            if found is not None:
                return found
            for move in reversed(moves):
                cloud.move(move["instance"], move["from"])
        self.failed.add(key)
        return None
