"""The README's plug-in for a real cloud is a workbook Mistral accepts, and
its session example names it; the sample beside it is the registered one."""

import json
import os
import re
import warnings
from importlib import metadata

from rolling_maintenance.embedded import lint
from rolling_maintenance.mistral import workbooks
from rolling_maintenance.samples import registry

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN_INPUT = ["host", "session_id", "metadata"]


def readme():
    with open(os.path.join(ROOT, "README.rst")) as handle:
        return handle.read()


def yaml_blocks(text):
    """The bodies of the README's `.. code-block:: yaml` directives, dedented."""
    blocks = []
    for found in re.finditer(r"^\.\. code-block:: yaml\n\n((?:(?: {4}.*)?\n)+)", text, re.M):
        lines = found.group(1).rstrip("\n").splitlines()
        blocks.append("\n".join(line[4:] for line in lines) + "\n")
    return blocks


def real_cloud_example():
    [block] = [b for b in yaml_blocks(readme()) if "\nname: site_upgrade\n" in b]
    return block


def session_examples():
    """The `actions` of every `mistral execution-create maintenance.rolling` example."""
    examples = []
    for found in re.finditer(r"execution-create maintenance\.rolling '(.*?)'", readme(), re.S):
        examples.append(json.loads(found.group(1))["actions"])
    return examples


def parse(text):
    from mistral.lang import parser

    from rolling_maintenance.embedded import schema_speedup

    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    schema_speedup.install()
    return parser.get_workbook_spec_from_yaml(text)


def test_the_real_cloud_plugin_parses_and_uses_only_actions_mistral_has(tmp_path):
    text = real_cloud_example()
    path = tmp_path / "site_upgrade.yaml"
    path.write_text(text)
    assert lint.lint_file(str(path), lint.registered_actions()) == []
    spec = parse(text)
    mistral_actions = {ep.name for ep in metadata.entry_points(group="mistral.actions")}
    [workflow] = spec.get_workflows().items.values()
    assert list(workflow.get_input()) == PLUGIN_INPUT
    used = {task.get_action_name() for task in workflow.get_tasks()}
    assert used == {"std.ssh"} and used <= mistral_actions


def test_the_admin_example_runs_the_real_cloud_plugin_and_the_sample_is_labelled():
    first, *others = session_examples()
    workbook = parse(real_cloud_example())
    [workflow] = workbook.get_workflows().items.values()
    assert [a["plugin"] for a in first] == ["%s.%s" % (workbook.get_name(), workflow.get_name())]
    assert not any(a["plugin"].startswith(registry.ACTION_PREFIX) for a in first)
    samples = [a["plugin"] for example in others for a in example
               if a["plugin"].startswith(registry.ACTION_PREFIX)]
    with open(workbooks.samples_workbook_file()) as handle:
        shipped = parse(handle.read())
    assert shipped.get_name() == registry.WORKBOOK
    assert samples and set(samples) <= {"%s.%s" % (shipped.get_name(), name)
                                        for name in shipped.get_workflows().items}
    assert "Sample, for the simulated cloud only" in readme()
