"""Find the project's workbooks and create or update them in Mistral."""

import os
import sys

WORKBOOK_SUFFIXES = (".yaml", ".yml")


def workbook_dir():
    """The `workbooks/` folder: beside the package in a source tree, else
    where `pip install` put the data files."""
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    candidates = [
        os.path.join(here, "workbooks"),
        os.path.join(sys.prefix, "share", "rolling-maintenance", "workbooks"),
    ]
    for path in candidates:
        if os.path.isdir(path):
            return path
    raise FileNotFoundError("no workbooks folder in %s" % " or ".join(candidates))


def workbook_files(directory=None):
    directory = directory or workbook_dir()
    return sorted(
        os.path.join(directory, name) for name in os.listdir(directory)
        if name.endswith(WORKBOOK_SUFFIXES))


def sync_workbooks(client, directory=None):
    """Create missing workbooks and update changed ones; return what was done.

    Upload is slow (Mistral validates the schema each time), so an unchanged
    workbook is left alone.
    """
    import yaml

    done = {}
    existing = {wb.name: wb for wb in client.workbooks.list()}
    for path in workbook_files(directory):
        with open(path) as handle:
            definition = handle.read()
        name = yaml.safe_load(definition)["name"]
        current = existing.get(name)
        if current is None:
            client.workbooks.create(definition)
            done[name] = "created"
        elif current.definition != definition:
            client.workbooks.update(definition)
            done[name] = "updated"
        else:
            done[name] = "unchanged"
    return done
