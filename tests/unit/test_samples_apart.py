"""Samples apart from the product: a production install registers no sample
and no simulator action, and the sample VNFM speaks only the public APIs."""

import ast
import configparser
import importlib
import importlib.util
import os
import pkgutil
import subprocess
import sys
import types

from mistral_lib import actions as ml_actions

from rolling_maintenance import samples, vnfm
from rolling_maintenance.samples import registry

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
APART = ("rolling_maintenance.samples", "rolling_maintenance.sim")


def setup_cfg_actions():
    """`{name: "module:Class"}` of setup.cfg's `mistral.actions` entry points."""
    parser = configparser.ConfigParser()
    parser.read(os.path.join(ROOT, "setup.cfg"))
    lines = parser["options.entry_points"]["mistral.actions"].strip().splitlines()
    return dict((part.strip() for part in line.split("=", 1)) for line in lines)


def test_the_product_entry_points_name_no_sample_or_simulator_action():
    entry_points = setup_cfg_actions()
    assert "maintenance.list_hosts" in entry_points
    for name, target in entry_points.items():
        module, class_name = target.split(":")
        assert name.startswith("maintenance."), name
        assert name not in registry.ACTIONS, name
        assert not module.startswith(APART), (name, target)
        cls = getattr(importlib.import_module(module), class_name)
        assert not cls.__module__.startswith(APART), (name, cls)
    sample_classes = set(registry.ACTIONS.values())
    assert not sample_classes & {t.split(":")[1] for t in entry_points.values()}


def test_the_installed_package_registers_no_sample_action():
    from importlib import metadata
    installed = {ep.name: ep.value for ep in metadata.entry_points(group="mistral.actions")
                 if ep.value.startswith("rolling_maintenance.")}
    assert installed == setup_cfg_actions()


def test_the_code_source_gives_mistral_every_sample_action_class():
    module = types.ModuleType(registry.CODE_SOURCE)
    exec(registry.code_source_text(), module.__dict__)
    for name, class_name in registry.ACTIONS.items():
        assert name.startswith(registry.ACTION_PREFIX)
        cls = getattr(module, class_name)
        assert issubclass(cls, ml_actions.Action)
        assert cls.__module__.startswith(samples.__name__)


def vnfm_modules():
    return sorted(info.name for info in pkgutil.iter_modules(vnfm.__path__, vnfm.__name__ + "."))


def imported_names(module_name):
    """Every module an import statement of `module_name` names (from-imports with their names)."""
    path = importlib.util.find_spec(module_name).origin
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from ("%s.%s" % (node.module, alias.name) for alias in node.names)


def test_no_vnfm_module_imports_the_admin_cloud_adapters():
    assert "rolling_maintenance.vnfm.manager" in vnfm_modules()
    for module_name in vnfm_modules():
        for name in imported_names(module_name):
            assert not (name == "rolling_maintenance.cloud"
                        or name.startswith("rolling_maintenance.cloud.")), (module_name, name)


def test_the_vnfm_does_not_load_the_admin_cloud_adapters_even_indirectly():
    code = ("import importlib, sys\n"
            "for name in sys.argv[1:]:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.startswith(('rolling_maintenance.cloud',"
            " 'rolling_maintenance.sim'))))\n")
    out = subprocess.run([sys.executable, "-c", code, *vnfm_modules()], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert out.strip() == "[]"
