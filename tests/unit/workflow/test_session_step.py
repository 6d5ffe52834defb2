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
