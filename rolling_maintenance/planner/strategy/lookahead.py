"""A look ahead on small sessions: a round chosen greedily may leave the
cloud where the hosts left can no longer be emptied (an instance placed
where a bigger one needed the room). While few hosts are left, the round is
checked: when the solver's serial plan (`serial_witness`) can finish the
session from here but no longer after the round, the first host of that
plan is taken instead.
"""

import copy

from rolling_maintenance.planner.placement.serial_witness import serial_witness

# Hosts left up to which every round is checked, on clouds up to
# LOOKAHEAD_CLOUD_HOSTS hosts (the check copies the cloud); the serial plan
# costs a solver call per host and step.
LOOKAHEAD_HOSTS = 16
LOOKAHEAD_CLOUD_HOSTS = 500
SOLVER_PER_HOST_S = 1.0


def dead_end(snapshot, progress, todo, hosts, moves):
    """Whether the session could not be finished after this round, though
    the serial plan could still finish it; False when too many hosts are left."""
    if len(todo) > LOOKAHEAD_HOSTS or len(snapshot.hosts) > LOOKAHEAD_CLOUD_HOSTS:
        return False
    after = copy.deepcopy(snapshot)
    for move in moves:
        after.move(move["instance"], move["to"])
    left = [h for h in todo if h not in hosts]
    maintained = list(progress.maintained) + list(hosts)
    return bool(serial_witness(after, left, SOLVER_PER_HOST_S, maintained)[1])


def witness_round(snapshot, progress, todo, default_type):
    """`(hosts, moves)` of the first round of a serial plan that finishes the
    session from here, or None when the solver finds none."""
    _order, left, rounds = serial_witness(snapshot, todo, SOLVER_PER_HOST_S, progress.maintained, default_type)
    if left or not rounds:
        return None
    return rounds[0]["hosts"], rounds[0]["moves"]
