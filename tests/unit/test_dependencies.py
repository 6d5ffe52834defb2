"""setup.cfg's dependencies: lower bounds at the versions the suite runs with
(tools/constraints.txt), and no upper bound unless a known break asks for it."""

import configparser
import os

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The only caps, each with its reason (README, Dependencies).
CAPPED = {"mistral": "the embedded launcher starts Mistral through its internal modules",
          "ruff": "lint rules change between releases"}


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def declared():
    config = configparser.ConfigParser()
    config.read(os.path.join(ROOT, "setup.cfg"))
    lines = _lines(config["options"]["install_requires"])
    for value in config["options.extras_require"].values():
        lines += _lines(value)
    return [Requirement(line) for line in lines]


def suite_versions():
    with open(os.path.join(ROOT, "tools", "constraints.txt")) as handle:
        pins = [Requirement(line) for line in _lines(handle.read())]
    return {canonicalize_name(pin.name): str(next(iter(pin.specifier)).version) for pin in pins}


def test_every_dependency_starts_at_the_version_the_suite_runs_with():
    versions = suite_versions()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        lower = [s.version for s in requirement.specifier if s.operator in (">=", "==")]
        assert lower == [versions.get(name)], "%s: lower bound %s, tested %s" % (
            requirement, lower, versions.get(name))
    assert sorted(versions) == sorted(canonicalize_name(r.name) for r in declared())


def test_only_known_breaks_cap_a_dependency():
    for requirement in declared():
        capped = any(s.operator in ("<", "<=", "==", "~=") for s in requirement.specifier)
        assert capped == (canonicalize_name(requirement.name) in CAPPED), str(requirement)
