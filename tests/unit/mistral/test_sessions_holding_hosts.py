"""Which sessions hold hosts, and which new sessions overlap them: one session per host."""

import itertools
import json
import types

from rolling_maintenance.mistral import executions
from rolling_maintenance.workflow import session_input


SECONDS = itertools.count()


def execution(id, state, hosts=None, workflow="maintenance.rolling", created_at=None, **input):
    """An execution, by default created one second after the one before."""
    created_at = created_at or "2026-11-30 10:%02d:%02d" % divmod(next(SECONDS), 60)
    if hosts is not None:
        input["hosts"] = hosts
    return types.SimpleNamespace(id=id, state=state, workflow_name=workflow,
                                 input=json.dumps(input), created_at=created_at)


class FakeClient:
    """Mistral's executions (listed by workflow name, oldest first) and their task names."""

    def __init__(self, found, task_names=None):
        self.found = found
        task_names = task_names or {}
        self.executions = types.SimpleNamespace(list=lambda workflow_name, **_: [
            e for e in found if e.workflow_name == workflow_name])
        # "name" (done) or ("name", "STATE").
        self.tasks = types.SimpleNamespace(list=lambda workflow_execution_id: [
            types.SimpleNamespace(name=n, state="SUCCESS") if isinstance(n, str)
            else types.SimpleNamespace(name=n[0], state=n[1])
            for n in task_names.get(workflow_execution_id, ())])


def test_running_and_failed_sessions_hold_hosts_done_cancelled_and_refused_ones_do_not():
    client = FakeClient([
        execution("done", "SUCCESS", ["c0"]),
        execution("running", "RUNNING", ["c1"]),
        execution("paused", "PAUSED", []),
        execution("failed", "ERROR", ["c2"]),
        execution("failed-cancelled", "ERROR", ["c3"]),
        execution("refused", "ERROR", ["c4"]),
        execution("cancelled", "CANCELLED", ["c5"]),
        execution("cancel-1", "SUCCESS", workflow="maintenance.cancel",
                  session_id="failed-cancelled"),
        execution("cancel-2", "ERROR", workflow="maintenance.cancel", session_id="failed"),
    ], task_names={"failed": ["decide", "maintenance_failed"], "refused": ["invalid_input"]})
    assert executions.sessions_holding_hosts(client) == [
        {"id": "running", "state": "RUNNING", "hosts": ["c1"]},
        {"id": "paused", "state": "PAUSED", "hosts": []},
        {"id": "failed", "state": "ERROR", "hosts": ["c2"]},
    ]


def test_only_older_sessions_count_so_one_of_two_started_together_wins():
    client = FakeClient([execution("b", "RUNNING", ["c0"], created_at="2026-11-30 10:00:01"),
                         execution("c", "RUNNING", ["c0"], created_at="2026-11-30 10:00:01"),
                         execution("z", "RUNNING", ["c0"], created_at="2026-11-30 10:00:00")])
    assert [s["id"] for s in executions.sessions_holding_hosts(client, before="c")] == ["z", "b"]
    assert [s["id"] for s in executions.sessions_holding_hosts(client, before="b")] == ["z"]
    assert executions.sessions_holding_hosts(client, before="z") == []


def test_of_two_started_in_one_second_the_one_already_validated_comes_first():
    # "c" passed its validation while "b" (the smaller id) had not yet run its own:
    # "b" must see "c", and "c" must not see "b", or both would run.
    same_second = "2026-11-30 10:00:01"
    client = FakeClient([execution("b", "RUNNING", ["c0"], created_at=same_second),
                         execution("c", "RUNNING", ["c0"], created_at=same_second)],
                        task_names={"b": [("validate", "RUNNING")], "c": ["validate", "maintenance"]})
    assert [s["id"] for s in executions.sessions_holding_hosts(client, before="b")] == ["c"]
    assert executions.sessions_holding_hosts(client, before="c") == []


def test_a_shared_host_is_refused_naming_the_other_session_and_the_host():
    others = [{"id": "s-1", "state": "RUNNING", "hosts": ["c0", "c1"]},
              {"id": "s-2", "state": "ERROR", "hosts": ["c5"]}]
    assert session_input.overlapping_sessions(["c1", "c2"], others) == [
        "hosts: c1 already in session s-1 (RUNNING); a host is in one session at a time: "
        "wait for it to end, or cancel it"]


def test_disjoint_hosts_may_run_side_by_side():
    assert session_input.overlapping_sessions(
        ["c2"], [{"id": "s-1", "state": "RUNNING", "hosts": ["c0", "c1"]}]) == []


def test_every_host_overlaps_every_session_both_ways():
    running = [{"id": "s-1", "state": "ERROR", "hosts": ["c0"]}]
    [problem] = session_input.overlapping_sessions([], running)
    assert "every compute host already in session s-1 (ERROR)" in problem
    everything = [{"id": "s-2", "state": "RUNNING", "hosts": []}]
    [problem] = session_input.overlapping_sessions(["c9"], everything)
    assert "session s-2" in problem
