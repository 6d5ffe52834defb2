"""The session's bookkeeping around the planner's decision."""

from rolling_maintenance.planner import plan_next
from rolling_maintenance.workflow import session_input, session_step

SNAPSHOT = {
    "hosts": [{"name": "c0", "vcpus": 4, "ram_mb": 8192}, {"name": "c1", "vcpus": 4, "ram_mb": 8192},
              {"name": "c2", "vcpus": 4, "ram_mb": 8192}],
    "instances": [{"id": "a", "project_id": "p1", "host": "c0", "vcpus": 1, "ram_mb": 1024},
                  {"id": "b", "project_id": "p2", "host": "c1", "vcpus": 1, "ram_mb": 1024},
                  {"id": "c", "project_id": "p2", "host": "c0", "vcpus": 1, "ram_mb": 1024}],
    "groups": [],
}
SESSION = dict(session_input.DEFAULTS, hosts=["c0", "c1", "c2"])


def step_of(session, progress):
    """The step the session's action publishes: the planner decides, the workflow counts."""
    decision = plan_next(SNAPSHOT, session_step.planner_progress(session, progress, SNAPSHOT))
    return session_step.workflow_step(decision, session, progress)


def test_projects_in_scope_lists_instances_per_project():
    assert session_step.projects_in_scope(SNAPSHOT, ["c0"]) == {"p1": ["a"], "p2": ["c"]}


def test_empty_host_first_and_progress_counts_it():
    progress = session_step.initial_progress()
    step = step_of(SESSION, progress)
    assert step["state"] == "START_MAINTENANCE" and step["hosts"] == ["c2"]
    assert step["progress"]["maintained"] == ["c2"]
    assert step["hosts_done"] == 0 and step["hosts_total"] == 3 and step["percent_done"] == 0
    assert progress["maintained"] == []


def test_unsubscribed_projects_are_not_asked():
    progress = {"maintained": ["c2"], "scale_in_rounds": 0, "unsubscribed": ["p2"]}
    step = step_of(SESSION, progress)
    assert step["state"] == "PLANNED_MAINTENANCE"
    assert "p2" in step["projects"] and "p2" not in step["ask_projects"]
    assert step["percent_done"] == 33


def test_scale_in_counts_a_round():
    step = {"state": "SCALE_IN", "hosts": []}
    after = session_step.next_progress({"maintained": [], "scale_in_rounds": 1, "unsubscribed": []}, step)
    assert after["scale_in_rounds"] == 2


def test_one_host_at_a_time_unless_the_session_allows_more():
    progress = session_step.initial_progress()
    assert step_of(SESSION, progress)["concurrency"] == 1
    parallel = dict(SESSION, max_parallel_hosts=None)
    assert step_of(parallel, progress)["concurrency"] == len(step_of(parallel, progress)["hosts"])


def test_hosts_maintained_come_from_the_records_in_the_order_done():
    records = {"c0": {"maintained_at": "2026-01-01T00:05:00"}, "c1": {"maintained_at": None},
               "c2": {"maintained_at": "2026-01-01T00:01:00"}}
    assert session_step.maintained_hosts(records) == ["c2", "c0"]


def test_a_stale_published_progress_does_not_undo_what_the_records_say():
    # What a rerun `decide` is handed: the progress of the session's start.
    stale = dict(session_step.initial_progress(), unsubscribed=["p2"])
    recorded = {"maintained": ["c2", "c0"], "scale_in_rounds": 1, "unsubscribed": ["p2"],
                "recently_moved": ["a"]}
    records = {"c2": {"maintained_at": "2026-01-01T00:01:00"}}
    progress = session_step.durable_progress(stale, records, recorded)
    assert progress == {"maintained": ["c2"], "scale_in_rounds": 1, "unsubscribed": ["p2"],
                        "recently_moved": ["a"]}
    assert session_step.durable_progress(stale, records)["unsubscribed"] == ["p2"]
    step = step_of(SESSION, progress)
    assert "c2" not in step["hosts"] and step["hosts_done"] == 1


def test_host_plugins_go_on_from_the_first_not_done():
    plugins = [{"plugin": "firmware"}, {"plugin": "upgrade"}, {"plugin": "verify"}]
    assert session_step.next_host_plugin([], plugins) == {"index": 0, "plugin": plugins[0]}
    assert session_step.next_host_plugin([0], plugins) == {"index": 1, "plugin": plugins[1]}
    assert session_step.next_host_plugin([0, 2], plugins) == {"index": 1, "plugin": plugins[1]}
    assert session_step.next_host_plugin([0, 1, 2], plugins) == {"index": None, "plugin": None}
    assert session_step.next_host_plugin([0, 1], []) == {"index": None, "plugin": None}


def test_hosts_another_session_holds_are_no_targets():
    snapshot = {"hosts": [{"name": "c0", "vcpus": 4, "ram_mb": 4096}, {"name": "c1", "vcpus": 4, "ram_mb": 4096},
                          {"name": "c2", "vcpus": 4, "ram_mb": 4096, "enabled": True}],
                "instances": [], "groups": []}
    holding = [{"id": "mine", "state": "RUNNING", "hosts": ["c0"]},
               {"id": "other", "state": "RUNNING", "hosts": ["c2"]}]
    marked = session_step.held_elsewhere(snapshot, holding, "mine")
    assert [h.get("enabled", True) for h in marked["hosts"]] == [True, True, False]
    assert snapshot["hosts"][2]["enabled"] is True, "the snapshot given is left as it was"
    assert session_step.held_elsewhere(snapshot, holding[:1], "mine") is snapshot
