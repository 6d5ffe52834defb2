"""The `cloud` fixture: a fresh simulated cloud per test, stopped after it."""

import pytest
from simcloud import make_cloud


@pytest.fixture
def cloud():
    made = make_cloud()
    yield made
    made.sim.stop()
