"""The bound for plans that move at most C instances twice: worked out by
hand on a small cloud, and never above a real plan that keeps to C."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_parallel_properties import clouds
from test_proven_bound import four_hosts

from rolling_maintenance.dryrun.plan_report import moved_twice
from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.offline.proven_bound import proven_bound
from rolling_maintenance.planner.offline.rounds import Refused, plan_rounds
from rolling_maintenance.planner.schedule.duration import read_timing
from rolling_maintenance.planner.schedule.round_clock import makespan, simulate_rounds


def test_one_instance_moved_twice_allows_one_host_first_then_two_then_one():
    # Four hosts of 10 / 10 GiB with 4 / 4 GiB each; at most two empty at
    # once. Moving at most one instance twice, the first round empties one
    # host (its 4 GiB onto a host not maintained yet); the second may move
    # 4 + 6 GiB (that instance, the first host's free room): two hosts; then
    # the last one. Three rounds of 100 s, plus every second emptying (8 s).
    bound = proven_bound(four_hosts(), most_twice=1)
    limited = bound["moved_twice_limited"]
    assert bound["rounds"] == 2
    assert limited["rounds_at_least"] == 3
    assert limited["seconds"] == pytest.approx(3 * 100 + 8 + 8)
    rounds = plan_rounds(four_hosts(), None, (), 25)
    assert moved_twice(rounds) <= 1 and len(rounds) == 3


def test_no_instance_moved_twice_and_no_room_outside_allows_no_plan():
    limited = proven_bound(four_hosts(), most_twice=0)["moved_twice_limited"]
    assert limited["seconds"] is None and limited["rounds_at_least"] is None


def test_room_out_of_scope_counts_for_the_first_round():
    inventory = four_hosts()
    limited = proven_bound(inventory, hosts=["h0", "h1", "h2"], most_twice=0)["moved_twice_limited"]
    # h3 (6 GiB free) takes h0's 4 GiB; then h0's room takes another.
    assert limited["rounds_at_least"] == 2 and limited["seconds"] is not None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clouds(), st.sampled_from([0, 10, 50, 100]))
def test_the_limited_bound_never_exceeds_a_plan_within_the_limit(inventory, percent):
    try:
        rounds = plan_rounds(inventory, None, (), percent)
    except Refused:
        return
    span = makespan(simulate_rounds(rounds, parse_snapshot(inventory), read_timing(inventory["timing"])))
    limited = proven_bound(inventory, time_limit_s=2, most_twice=moved_twice(rounds))["moved_twice_limited"]
    assert limited["seconds"] is not None and limited["seconds"] <= span + 1e-6
