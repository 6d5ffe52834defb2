"""The OPNFV Doctor maintenance test case, decision by decision."""

from planner_clouds import doctor_cloud, hosts_of, progress, scale_in_one_per_project, without

from rolling_maintenance.audit import inventory_violations
from rolling_maintenance.planner import apply_moves, iter_session, plan_next


def test_all_capacity_used_asks_to_scale_in():
    step = plan_next(doctor_cloud(), progress())
    assert step["state"] == "SCALE_IN"
    assert step["hosts"] == [] and step["moves"] == []
    assert step["projects"] == ["p1"]
    assert step["instances_by_project"] == {"p1": ["act", "n1", "n2", "n3", "n4", "stdby"]}
    assert "2 vcpus missing" in step["reason"]
    assert "round 1 of 2" in step["reason"]


def test_one_instance_less_is_still_one_vcpu_short():
    step = plan_next(without(doctor_cloud(), "n1"), progress(rounds=1))
    assert step["state"] == "SCALE_IN"
    assert "1 vcpu missing" in step["reason"] and "round 2 of 2" in step["reason"]


def test_after_scale_in_prepare_then_start_then_planned_to_complete():
    snapshot = without(doctor_cloud(), "n1", "n3")
    maintained = []

    step = plan_next(snapshot, progress(rounds=1, maintained=maintained))
    assert step["state"] == "PREPARE_MAINTENANCE" and step["hosts"] == ["compute-0"]
    assert step["moves"] == [{"instance": "act", "project_id": "p1", "from": "compute-0",
                              "to": "compute-2", "type": "LIVE_MIGRATE", "after": [], "recovery_s": 0}]
    assert step["instances_by_project"] == {"p1": ["act"]}
    snapshot = apply_moves(snapshot, step["moves"])

    step = plan_next(snapshot, progress(rounds=1, maintained=maintained))
    assert step["state"] == "START_MAINTENANCE" and step["hosts"] == ["compute-0"]
    maintained += step["hosts"]

    step = plan_next(snapshot, progress(rounds=1, maintained=maintained))
    assert step["state"] == "PLANNED_MAINTENANCE" and step["hosts"] == ["compute-1"]
    assert {(m["instance"], m["to"]) for m in step["moves"]} == {("stdby", "compute-0"), ("n2", "compute-0")}
    snapshot = apply_moves(snapshot, step["moves"])
    assert inventory_violations(snapshot) == []

    step = plan_next(snapshot, progress(rounds=1, maintained=maintained))
    assert step["state"] == "START_MAINTENANCE" and step["hosts"] == ["compute-1"]
    maintained += step["hosts"]

    step = plan_next(snapshot, progress(rounds=1, maintained=maintained))
    assert step["state"] == "PLANNED_MAINTENANCE" and step["hosts"] == ["compute-2"]
    assert {m["to"] for m in step["moves"]} == {"compute-1"}
    snapshot = apply_moves(snapshot, step["moves"])

    step = plan_next(snapshot, progress(rounds=1, maintained=maintained))
    assert step["state"] == "START_MAINTENANCE" and step["hosts"] == ["compute-2"]
    maintained += step["hosts"]

    step = plan_next(snapshot, progress(rounds=1, maintained=maintained))
    assert step["state"] == "MAINTENANCE_COMPLETE"
    assert step["projects"] == ["p1"]
    assert hosts_of(snapshot) == {"act": "compute-1", "n4": "compute-1", "stdby": "compute-0", "n2": "compute-0"}


def test_simulated_session_scales_in_twice_and_keeps_the_pair_apart():
    seen = []
    for step, state in iter_session(doctor_cloud(), progress(), scale_in_one_per_project):
        snapshot = state.snapshot()
        assert inventory_violations(snapshot) == []
        seen.append((step["state"], step["hosts"]))
    assert seen == [
        ("SCALE_IN", []),
        ("SCALE_IN", []),
        # compute-0 and compute-1 hold one pair member each: only compute-2 can be emptied
        ("PREPARE_MAINTENANCE", ["compute-2"]),
        ("START_MAINTENANCE", ["compute-2"]),
        ("PLANNED_MAINTENANCE", ["compute-0"]),
        ("START_MAINTENANCE", ["compute-0"]),
        ("PLANNED_MAINTENANCE", ["compute-1"]),
        ("START_MAINTENANCE", ["compute-1"]),
        ("MAINTENANCE_COMPLETE", []),
    ]


def test_one_scale_in_round_allowed_is_not_enough():
    steps = [step for step, _ in iter_session(doctor_cloud(), progress(max_rounds=1), scale_in_one_per_project)]
    assert [s["state"] for s in steps] == ["SCALE_IN", "MAINTENANCE_FAILED"]
    failed = steps[-1]
    assert "after 1 round of scale-in (at most 1)" in failed["reason"]
    assert "1 vcpu missing" in failed["reason"]
