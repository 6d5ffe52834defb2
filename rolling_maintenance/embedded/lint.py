"""Check the workbooks with Mistral's own DSL parser, without a server.

Catches schema and YAQL syntax errors in seconds instead of at upload time,
and checks that every `maintenance.*` action a workbook names is one this
package registers (and every `maintenance_samples.*` one a sample).
"""

import sys
import warnings

from rolling_maintenance.embedded import workbooks
from rolling_maintenance.samples import registry

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
