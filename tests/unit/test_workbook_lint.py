"""The shipped workbooks parse with Mistral's own DSL parser."""

import os

import pytest

from rolling_maintenance.embedded import lint, workbooks


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
