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


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(tier in item.path.parents for tier in SDK_TIERS):
            for spec in SDK_NOISE:
                item.add_marker(pytest.mark.filterwarnings(spec))


@pytest.fixture
def fake_keystone(monkeypatch):
    """keystonemiddleware validates `fake_keystone.token(...)` tokens without a Keystone."""
    import fake_keystone

    fake_keystone.install(monkeypatch)
    return fake_keystone
