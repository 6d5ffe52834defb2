"""Check the workbooks with Mistral's own DSL parser, without a server.

Catches schema and YAQL syntax errors in seconds instead of at upload time,
and checks that every `maintenance.*` action a workbook names is one this
package registers (and every `maintenance_samples.*` one a sample), and
that the workbook keeps its contract with the Python
(`rolling_maintenance.workflow`): the session's inputs and defaults are the
schema's, and every task the Python names exists.
"""

import sys
import warnings

from rolling_maintenance.mistral import workbooks
from rolling_maintenance.samples import registry
from rolling_maintenance.workflow import contract, session_input

ACTION_PREFIX = "maintenance."
CHECKED_PREFIXES = (ACTION_PREFIX, registry.ACTION_PREFIX)


def registered_actions():
    """The product's actions (the `mistral.actions` entry points) and the samples'."""
    from importlib import metadata
    product = {ep.name for ep in metadata.entry_points(group="mistral.actions")
               if ep.name.startswith(ACTION_PREFIX)}
    return product | set(registry.ACTIONS)


def lint_file(path, known_actions):
    """Return a list of problems of one workbook file (empty when fine)."""
    from mistral.lang import parser

    from rolling_maintenance.embedded import schema_speedup

    schema_speedup.install()
    with open(path) as handle:
        text = handle.read()
    try:
        spec = parser.get_workbook_spec_from_yaml(text)
    except Exception as exc:  # the parser raises several kinds; all mean invalid
        return ["%s: %s" % (path, exc)]
    problems = []
    for wf_spec in spec.get_workflows().items.values():
        for task_spec in wf_spec.get_tasks():
            action = task_spec.get_action_name()
            if action and action.startswith(CHECKED_PREFIXES) and action not in known_actions:
                problems.append("%s: workflow %s task %s uses unknown action %s" % (
                    path, wf_spec.get_name(), task_spec.get_name(), action))
    if spec.get_name() == contract.WORKBOOK:
        problems.extend("%s: %s" % (path, p) for p in contract_problems(spec))
    return problems


def contract_problems(spec):
    """Where the `maintenance` workbook departs from `rolling_maintenance.workflow`."""
    found = {"%s.%s" % (spec.get_name(), wf.get_name()): wf for wf in spec.get_workflows().items.values()}
    problems = []
    for name, tasks in contract.TASKS.items():
        if name not in found:
            problems.append("workflow %s is missing" % name)
            continue
        have = {task.get_name() for task in found[name].get_tasks()}
        problems.extend("workflow %s has no task %s" % (name, task) for task in tasks if task not in have)
    if contract.ROLLING in found:
        problems.extend(input_problems(found[contract.ROLLING].get_input()))
    return problems


def input_problems(declared):
    """The inputs of `rolling` (`{name: default}`) against the session-input schema."""
    from mistral_lib import utils

    problems = ["input %s is not in the session-input schema" % name
                for name in declared if name not in session_input.DEFAULTS]
    for name, default in session_input.DEFAULTS.items():
        if name not in declared:
            problems.append("input %s of the session-input schema is missing" % name)
        elif declared[name] is utils.NotDefined:
            problems.append("input %s has no default; the schema's is %r" % (name, default))
        elif declared[name] != default:
            problems.append("input %s defaults to %r; the schema's default is %r" % (
                name, declared[name], default))
    return problems


def main(argv=None):
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    paths = (sys.argv[1:] if argv is None else argv) or (
        workbooks.workbook_files() + [workbooks.samples_workbook_file()])
    known = registered_actions()
    problems = [p for path in paths for p in lint_file(path, known)]
    for problem in problems:
        print(problem, file=sys.stderr)
    print("%d workbook(s) checked, %d problem(s)" % (len(paths), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
