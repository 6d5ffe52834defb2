"""The modules every tier shares (tests/shared) on the import path; the SDK's own
warnings silenced in the tiers that call the cloud through it."""

import pathlib
import sys

import pytest

SHARED = pathlib.Path(__file__).parent / "shared"
if str(SHARED) not in sys.path:
    sys.path.insert(0, str(SHARED))

TESTS = pathlib.Path(__file__).parent
SDK_TIERS = (TESTS / "contract", TESTS / "realcloud")
# openstacksdk 4.22 warns about its own internals on nearly every call.
SDK_NOISE = ("ignore::openstack.warnings.OpenStackDeprecationWarning",
             "ignore::PendingDeprecationWarning:openstack",
             "ignore::DeprecationWarning:openstack")


# A parallel run (tools/dev test) starts the longest work first: the real-cloud
# tier, then the sessions, then the rest; the order is the same on every worker.
TIER_ORDER = ("realcloud", "functional")


def _tier_rank(item):
    tier = item.path.relative_to(TESTS).parts[0]
    return TIER_ORDER.index(tier) if tier in TIER_ORDER else len(TIER_ORDER)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(tier in item.path.parents for tier in SDK_TIERS):
            for spec in SDK_NOISE:
                item.add_marker(pytest.mark.filterwarnings(spec))
    if hasattr(config, "workerinput"):  # a worker of pytest-xdist
        items.sort(key=_tier_rank)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Work units for pytest-xdist: the real-cloud tier is one (its test bed is
    started once per run, by the worker that runs it), every other module is one
    (module fixtures such as a shared Mistral are set up once), in collection order."""
    from xdist.scheduler import LoadScopeScheduling

    class TierScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            if nodeid.startswith("tests/realcloud/"):
                return "tests/realcloud"
            return super()._split_scope(nodeid)

    config.option.loadscopereorder = False
    return TierScheduling(config, log)


@pytest.fixture
def fake_keystone(monkeypatch):
    """keystonemiddleware validates `fake_keystone.token(...)` tokens without a Keystone."""
    import fake_keystone

    fake_keystone.install(monkeypatch)
    return fake_keystone
