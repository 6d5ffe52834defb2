"""Find the project's workbooks and create or update them in Mistral."""

import os
import sys

WORKBOOK_SUFFIXES = (".yaml", ".yml")
SAMPLES_WORKBOOK = "samples.yaml"
DATA_DIR = os.path.join(sys.prefix, "share", "rolling-maintenance")
SOURCE_DIR = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "workbooks")


def _first_existing(candidates, exists):
    for path in candidates:
        if exists(path):
            return path
    raise FileNotFoundError("none of %s exists" % " or ".join(candidates))


def workbook_dir():
    """The `workbooks/` folder: beside the package in a source tree, else
    where `pip install` put the data files."""
    return _first_existing([SOURCE_DIR, os.path.join(DATA_DIR, "workbooks")], os.path.isdir)


def samples_workbook_file():
    """The sample plug-ins' workbook: in the source tree it sits beside the
    product's; an install ships it in a folder of its own (`samples/`)."""
    return _first_existing([os.path.join(SOURCE_DIR, SAMPLES_WORKBOOK),
                            os.path.join(DATA_DIR, "samples", SAMPLES_WORKBOOK)], os.path.isfile)


def workbook_files(directory=None):
    """The workbooks of `directory`, or the product's own (never the samples)."""
    names = os.listdir(directory or workbook_dir())
    if directory is None:
        names = [name for name in names if name != SAMPLES_WORKBOOK]
    return sorted(os.path.join(directory or workbook_dir(), name) for name in names
                  if name.endswith(WORKBOOK_SUFFIXES))


def sync_workbooks(client, directory=None, paths=None, scope="private"):
    """Create missing workbooks and update changed ones; return what was done.

    `paths` names the files; by default every workbook of `directory` (see
    `workbook_files`). Upload is slow (Mistral validates the schema each
    time), so an unchanged workbook is left alone. Behind Keystone a
    workbook is private to the project that uploads it; `scope` `public`
    lets admins of every project start the sessions (and their
    sub-workflows) that a service identity uploaded.
    """
    import yaml

    done = {}
    existing = {wb.name: wb for wb in client.workbooks.list()}
    for path in paths or workbook_files(directory):
        with open(path) as handle:
            definition = handle.read()
        name = yaml.safe_load(definition)["name"]
        current = existing.get(name)
        if current is None:
            client.workbooks.create(definition, scope=scope)
            done[name] = "created"
        elif current.definition != definition or getattr(current, "scope", scope) != scope:
            client.workbooks.update(definition, scope=scope)
            done[name] = "updated"
        else:
            done[name] = "unchanged"
    return done
