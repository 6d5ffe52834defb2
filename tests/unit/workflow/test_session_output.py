"""The output of a succeeded session reads nothing the failure path publishes:
after a `continue`, Mistral merges the variables of every end task of the
execution (in no set order), the earlier maintenance_failed's included."""

import pathlib
import re

import yaml

WORKBOOK = pathlib.Path(__file__).resolve().parents[3] / "workbooks" / "maintenance.yaml"


def test_the_output_reads_no_variable_the_failure_path_publishes():
    rolling = yaml.safe_load(WORKBOOK.read_text())["workflows"]["rolling"]
    published_on_failure = set(rolling["tasks"]["maintenance_failed"].get("publish", {}))
    read = {name for expression in rolling["output"].values() if isinstance(expression, str)
            for name in re.findall(r"\$\.(\w+)", expression)}
    assert not read & published_on_failure, read & published_on_failure
