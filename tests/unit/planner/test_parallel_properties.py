"""Properties of whole plans, serial and parallel, on random clouds and constraints."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parallel_checks import check_plan, draw_instances

from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.offline.lower_bound import lower_bound_s
from rolling_maintenance.planner.offline.rounds import Refused, plan_rounds
from rolling_maintenance.planner.schedule.duration import read_timing
from rolling_maintenance.planner.schedule.round_clock import makespan, simulate_rounds


@st.composite
def clouds(draw):
    count = draw(st.integers(2, 7))
    names = ["h%d" % i for i in range(count)]
    hosts = [{"name": n, "vcpus": draw(st.integers(2, 8)), "ram_mb": 1024 * draw(st.integers(2, 8)),
              "enabled": draw(st.sampled_from([True, True, True, False]))}
             for n in names]
    groups = []
    for number in range(draw(st.integers(0, 3))):
        groups.append({"group_id": "g%d" % number, "project_id": "p",
                       "policy": draw(st.sampled_from(["anti-affinity", "affinity", "soft-anti-affinity"])),
                       "max_impacted_members": draw(st.none() | st.integers(1, 3)),
                       "recovery_time": draw(st.sampled_from([0, 100, 10 ** 6]))})
    instances = draw_instances(
        draw, hosts, groups, draw(st.integers(0, 14)),
        size=lambda: (draw(st.integers(1, 2)), 1024 * draw(st.integers(1, 2))), id_format="i%02d",
        extra=lambda: {"max_interruption_time": draw(st.none() | st.integers(0, 20))})
    timing = {"host_maintenance_s": draw(st.integers(0, 500)), "live_migration_s_per_gib": 8,
              "cold_migration_s_per_gib": 4}
    return {"hosts": hosts, "instances": instances, "groups": groups, "timing": timing}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clouds(), st.sampled_from([None, 1, 2]))
def test_every_plan_keeps_every_rule_or_is_refused(inventory, limit):
    try:
        rounds = plan_rounds(inventory, limit)
    except Refused:
        return
    assert check_plan(inventory, rounds) == []
    if limit is not None:
        assert all(len(one["hosts"]) <= limit for one in rounds)
    snapshot = parse_snapshot(inventory)
    span = makespan(simulate_rounds(rounds, snapshot, read_timing(inventory["timing"])))
    assert lower_bound_s(inventory) <= span + 1e-6


@settings(max_examples=40, deadline=None)
@given(clouds(), st.sampled_from([None, 1]))
def test_an_instance_too_big_for_every_other_host_is_refused(inventory, limit):
    biggest = max(inventory["hosts"], key=lambda h: (h["ram_mb"], h["vcpus"]))
    inventory["hosts"].append({"name": "huge", "vcpus": 64, "ram_mb": 10 ** 6})
    inventory["instances"].append({"id": "whale", "project_id": "p", "host": "huge", "vcpus": 64,
                                   "ram_mb": biggest["ram_mb"] + 1})
    with pytest.raises(Refused):
        plan_rounds(inventory, limit)


@settings(max_examples=40, deadline=None)
@given(clouds(), st.sampled_from([None, 1]))
def test_a_group_with_no_impact_allowed_is_refused(inventory, limit):
    inventory["groups"].append({"group_id": "frozen", "project_id": "p", "policy": "anti-affinity",
                                "max_impacted_members": 0})
    inventory["instances"].append({"id": "ice", "project_id": "p", "host": "h0", "vcpus": 0,
                                   "ram_mb": 0, "group_id": "frozen"})
    with pytest.raises(Refused, match="never finish"):
        plan_rounds(inventory, limit)
