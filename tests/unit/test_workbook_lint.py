"""The shipped workbooks parse with Mistral's own DSL parser."""

import os

import pytest

from rolling_maintenance.embedded import lint
from rolling_maintenance.mistral import workbooks
from rolling_maintenance.workflow import session_input


def test_every_workbook_parses_and_names_known_actions():
    known = lint.registered_actions()
    assert "maintenance.list_hosts" in known
    paths = workbooks.workbook_files() + [workbooks.samples_workbook_file()]
    for path in paths:
        assert lint.lint_file(path, known) == []


def test_the_product_workbooks_leave_the_samples_out():
    names = [os.path.basename(p) for p in workbooks.workbook_files()]
    assert "maintenance.yaml" in names and workbooks.SAMPLES_WORKBOOK not in names
    assert os.path.basename(workbooks.samples_workbook_file()) == "samples.yaml"


@pytest.mark.parametrize("action", ["maintenance.no_such_action",
                                    "maintenance_samples.no_such_action"])
def test_an_unknown_action_is_reported(tmp_path, action):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: '2.0'\nname: bad\nworkflows:\n  wf:\n    tasks:\n"
        "      t:\n        action: %s\n" % action)
    problems = lint.lint_file(str(bad), lint.registered_actions())
    assert len(problems) == 1 and action in problems[0]


def test_a_dsl_error_is_reported(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: '2.0'\nname: bad\nworkflows:\n  wf:\n    tasks:\n      t:\n        on-error: []\n")
    assert lint.lint_file(str(bad), set())


def test_the_session_inputs_are_the_schemas():
    declared = dict(session_input.DEFAULTS, project_maintenance_reply=30, extra=1)
    del declared["event_type"]
    assert lint.input_problems(declared) == [
        "input extra is not in the session-input schema",
        "input project_maintenance_reply defaults to 30; the schema's default is 300",
        "input event_type of the session-input schema is missing",
    ]


def test_a_changed_default_in_the_workbook_is_reported(tmp_path):
    text = _maintenance_workbook().replace("- max_scale_in_rounds: 2", "- max_scale_in_rounds: 3")
    problems = _lint_text(tmp_path, text)
    assert len(problems) == 1 and "input max_scale_in_rounds defaults to 3" in problems[0]


def test_a_renamed_task_the_python_reads_is_reported(tmp_path):
    problems = _lint_text(tmp_path, _maintenance_workbook().replace("planned_moves", "planned_moving"))
    assert len(problems) == 1 and "workflow maintenance.rolling has no task planned_moves" in problems[0]


def _maintenance_workbook():
    [path] = [p for p in workbooks.workbook_files() if p.endswith("maintenance.yaml")]
    with open(path) as handle:
        return handle.read()


def _lint_text(tmp_path, text):
    path = tmp_path / "maintenance.yaml"
    path.write_text(text)
    return lint.lint_file(str(path), lint.registered_actions())
