"""Walking a whole session without a cloud: the dry run."""

import copy

import pytest

from planner_clouds import cloud, group, host, hosts_of, progress, vm

from rolling_maintenance.audit import inventory_violations
from rolling_maintenance.planner import InvalidInput, apply_moves, iter_session, simulate_session
from rolling_maintenance.planner.offline import session_sim


def eight_computes():
    """4 big and 4 small computes, every one in use, room to spare, none empty."""
    hosts = [host("big-%d" % n, vcpus=8, ram_mb=16384) for n in range(4)]
    hosts += [host("small-%d" % n, vcpus=4, ram_mb=8192) for n in range(4)]
    instances = []
    for n in range(4):
        instances += [vm("web-%d" % n, "big-%d" % n, project="web", vcpus=2, ram_mb=4096, group="web-aa"),
                      vm("db-%d" % n, "big-%d" % n, project="db", vcpus=2, ram_mb=4096),
                      vm("cache-%d" % n, "small-%d" % n, project="web", vcpus=1, ram_mb=2048),
                      vm("batch-%d" % n, "small-%d" % n, project="batch", vcpus=2, ram_mb=2048,
                         group="batch-af" if n == 3 else None)]
    instances.append(vm("batch-9", "small-3", project="batch", vcpus=1, ram_mb=1024, group="batch-af"))
    return cloud(hosts, instances, [group("web-aa", "anti-affinity", "web"), group("batch-af", "affinity", "batch")])


def test_eight_computes_of_two_sizes_with_room_need_no_scale_in():
    snapshot = eight_computes()
    assert inventory_violations(snapshot) == []
    states, maintained, moved = [], [], {}
    for step, state in iter_session(snapshot, progress()):
        states.append(step["state"])
        assert inventory_violations(state.snapshot()) == []
        if step["state"] == "START_MAINTENANCE":
            maintained += step["hosts"]
        for move in step["moves"]:
            moved.setdefault(move["instance"], []).append(step["state"])
            together = move["instance"] in ("batch-3", "batch-9")
            assert move["type"] == ("OWN_ACTION" if together else "LIVE_MIGRATE")
        assert state.progress()["maintained"] == maintained
    assert states[0] == "PREPARE_MAINTENANCE" and states[-1] == "MAINTENANCE_COMPLETE"
    assert "SCALE_IN" not in states and states.count("PREPARE_MAINTENANCE") == 1
    assert sorted(maintained) == sorted(h["name"] for h in snapshot["hosts"])
    assert all(len(m) == 1 or m == ["PREPARE_MAINTENANCE", "PLANNED_MAINTENANCE"] for m in moved.values())
    assert moved["batch-3"] == moved["batch-9"] == ["PLANNED_MAINTENANCE"]


def test_simulate_session_returns_the_steps_a_dry_run_prints():
    snapshot = cloud([host("a"), host("b"), host("c")], [vm("i1", "a"), vm("i2", "b")])
    steps = simulate_session(snapshot, progress())
    assert [(s["state"], s["hosts"]) for s in steps] == [
        ("START_MAINTENANCE", ["c"]),
        ("PLANNED_MAINTENANCE", ["a"]),
        ("START_MAINTENANCE", ["a"]),
        ("PLANNED_MAINTENANCE", ["b"]),
        ("START_MAINTENANCE", ["b"]),
        ("MAINTENANCE_COMPLETE", []),
    ]
    assert steps[1]["moves"][0]["to"] == "c" and steps[3]["moves"][0]["to"] == "c"


def test_without_scale_in_the_rounds_run_out():
    snapshot = cloud([host("a"), host("b")], [vm("a1", "a", vcpus=2), vm("b1", "b", vcpus=2)])
    steps = simulate_session(snapshot, progress(max_rounds=3))
    assert [s["state"] for s in steps] == ["SCALE_IN"] * 3 + ["MAINTENANCE_FAILED"]
    assert "round 3 of 3" in steps[2]["reason"]


def test_scale_in_gets_the_snapshot_and_the_step():
    snapshot = cloud([host("a"), host("b")], [vm("a1", "a", vcpus=2), vm("b1", "b", vcpus=2)])
    calls = []

    def scale_in(current, step):
        calls.append((sorted(hosts_of(current)), step["state"]))
        return dict(current, instances=[i for i in current["instances"] if i["id"] != "b1"])

    steps = simulate_session(snapshot, progress(), scale_in)
    assert calls == [(["a1", "b1"], "SCALE_IN")]
    assert [s["state"] for s in steps] == ["SCALE_IN", "START_MAINTENANCE", "PLANNED_MAINTENANCE",
                                           "START_MAINTENANCE", "MAINTENANCE_COMPLETE"]


def test_a_bad_snapshot_from_scale_in_is_refused():
    snapshot = cloud([host("a")], [vm("a1", "a", vcpus=2)])
    with pytest.raises(InvalidInput, match="'vcpus' is required"):
        simulate_session(snapshot, progress(), lambda s, step: {"hosts": [{"name": "a", "ram_mb": 1}]})


def test_the_given_snapshot_and_progress_are_not_changed():
    snapshot, given = eight_computes(), progress()
    before = copy.deepcopy((snapshot, given))
    simulate_session(snapshot, given)
    assert (snapshot, given) == before


def test_a_planner_that_does_not_maintain_the_emptied_host_is_caught(monkeypatch):
    snapshot = cloud([host("a"), host("b")], [vm("a1", "a")])
    step = {"state": "PLANNED_MAINTENANCE", "reason": "", "hosts": ["a"], "projects": [],
            "instances_by_project": {}, "moves": []}
    monkeypatch.setattr(session_sim, "decide", lambda snap, prog: step)
    with pytest.raises(RuntimeError, match="host a was emptied but the next step is PLANNED_MAINTENANCE"):
        simulate_session(snapshot, progress())


def test_apply_moves_is_pure():
    snapshot = cloud([host("a"), host("b")], [vm("i1", "a", name="web"), vm("i2", "a")])
    snapshot["note"] = "kept"
    before = copy.deepcopy(snapshot)
    after = apply_moves(snapshot, [{"instance": "i1", "from": "a", "to": "b"}])
    assert snapshot == before
    assert hosts_of(after) == {"i1": "b", "i2": "a"}
    assert after["note"] == "kept" and after["instances"][0]["name"] == "web"


@pytest.mark.parametrize("move, message", [
    ({"instance": "zz", "from": "a", "to": "b"}, "moves[0]: instance 'zz' is not in the snapshot"),
    ({"instance": "i1", "from": "b", "to": "a"}, "moves[0]: instance i1 is on a, not on 'b'"),
    ({"instance": "i1", "from": "a", "to": "q"}, "moves[0]: target 'q' is not a known host"),
    ({"instance": "i1", "from": "a", "to": "a"}, "moves[0]: instance i1 is already on a"),
    ("i1", "moves[0]: must be an object, got str"),
])
def test_apply_moves_refuses_a_move_that_does_not_match(move, message):
    snapshot = cloud([host("a"), host("b")], [vm("i1", "a")])
    with pytest.raises(InvalidInput) as raised:
        apply_moves(snapshot, [move])
    assert message in raised.value.errors


def test_apply_moves_follows_an_instance_moved_twice_in_one_list():
    snapshot = cloud([host("a"), host("b"), host("c")], [vm("i1", "a")])
    moves = [{"instance": "i1", "from": "a", "to": "b"}, {"instance": "i1", "from": "b", "to": "c"}]
    assert hosts_of(apply_moves(snapshot, moves)) == {"i1": "c"}
