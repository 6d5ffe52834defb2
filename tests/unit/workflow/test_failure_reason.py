"""The one-line reason of a failed session names who and what."""

import json

from rolling_maintenance.workflow.failure_reason import describe_failure

ASKED = {"projects": ["tenant-a", "tenant-b"], "state": "PLANNED_MAINTENANCE", "reply_window_s": 30}


def ask_failure(result, state_info):
    return [{"task": "planned_maintenance", "workflow": "maintenance.rolling", "state_info": "x",
             "result": "{}", "workflow_input": {}},
            {"task": "ask", "workflow": "maintenance._ask_projects", "state_info": state_info,
             "result": json.dumps(result), "workflow_input": ASKED}]


def test_nack_names_the_project_and_state():
    failures = ask_failure([{"project_id": "tenant-a", "state": "ACK_PLANNED_MAINTENANCE"},
                            {"project_id": "tenant-b", "state": "NACK_PLANNED_MAINTENANCE", "code": "nack"}],
                           "One or more actions had failed.")
    assert describe_failure(failures) == (
        "project tenant-b refused PLANNED_MAINTENANCE (NACK_PLANNED_MAINTENANCE)")


def test_timeout_after_every_reply_says_so_instead_of_naming_nobody():
    failures = ask_failure([{"project_id": "tenant-a", "state": "ACK_PLANNED_MAINTENANCE"},
                            {"project_id": "tenant-b", "state": "ACK_PLANNED_MAINTENANCE"}],
                           "Task timed out [timeout(s)=30].")
    assert describe_failure(failures) == (
        "every project replied to PLANNED_MAINTENANCE, but the question was still open after 30 s "
        "(Mistral did not take a reply; continue resumes the session)")


def test_timeout_names_who_did_not_reply():
    failures = ask_failure([{"project_id": "tenant-b", "state": "ACK_PLANNED_MAINTENANCE"}],
                           "Task timed out [timeout(s)=30].")
    assert describe_failure(failures) == (
        "no reply from project(s) tenant-a to PLANNED_MAINTENANCE within 30 s")


def test_a_cloud_error_says_its_message():
    failures = [{"task": "planned_moves", "workflow": "maintenance.rolling", "state_info": "failed",
                 "result": json.dumps([{"code": "migration_failed", "message": "migration 7 of vm1 ended in error"}]),
                 "workflow_input": {}}]
    assert describe_failure(failures) == "planned_moves failed: migration 7 of vm1 ended in error"


def test_nothing_known():
    assert describe_failure([]) == "the session failed"


def test_a_plugin_failure_names_the_plugin_and_host():
    failures = [{"task": "run_action", "workflow": "maintenance._run_plugin", "state_info": "failed",
                 "result": json.dumps({"code": "host_work_failed", "message": "firmware refused"}),
                 "workflow_input": {"plugin": {"plugin": "site.firmware", "kind": "action"}, "host": "c1"}}]
    assert describe_failure(failures) == "plug-in site.firmware on c1 failed: firmware refused"


def test_a_plugin_workflow_failing_in_its_own_task_is_named_with_the_host():
    failures = [{"task": "run_workflow", "workflow": "maintenance._run_plugin", "state_info": "failed",
                 "result": "{}",
                 "workflow_input": {"plugin": {"plugin": "site.upgrade", "kind": "workflow"}, "host": "c1"}},
                {"task": "upgrade", "workflow": "site.upgrade", "state_info": "failed",
                 "result": json.dumps({"code": "host_work_failed", "message": "disk full"}),
                 "workflow_input": {"host": "c1"}}]
    assert describe_failure(failures) == "plug-in site.upgrade on c1 failed: disk full"
