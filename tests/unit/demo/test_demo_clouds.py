"""The demo's generated clouds: valid, and a session can finish on every one."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rolling_maintenance.demo import scenarios
from rolling_maintenance.planner import simulate_session
from rolling_maintenance.sim import ManualClock
from rolling_maintenance.sim.inventory import build_model

START = {"hosts": [], "maintained": [], "scale_in_rounds": 0, "max_scale_in_rounds": 2}


def sample_vnfm_scale_in(snapshot, _step):
    """What the sample VNFM does when asked to scale in: each project deletes
    its newest non-redundant instance."""
    newest = {}
    for instance in snapshot["instances"]:
        if not instance.get("group_id"):
            newest[instance["project_id"]] = instance["id"]
    snapshot["instances"] = [i for i in snapshot["instances"] if i["id"] not in newest.values()]
    return snapshot


@settings(max_examples=60, deadline=None)
@given(hosts=st.integers(scenarios.MIN_HOSTS, 200), seed=st.integers(0, 2**32))
# Sizes and seeds whose clouds once broke the capacity of a host.
@example(hosts=40, seed=1)
@example(hosts=40, seed=2)
@example(hosts=40, seed=5)
@example(hosts=40, seed=6)
@example(hosts=40, seed=8)
@example(hosts=30, seed=2)
@example(hosts=3, seed=6)
def test_every_size_and_seed_gives_a_cloud_a_session_can_maintain(hosts, seed):
    inventory = scenarios.two_sizes(hosts=hosts, seed=seed)
    # The simulator refuses an instance on a host without room for it, or
    # against its group's policy.
    model = build_model(inventory, ManualClock())
    assert len(model.hosts) == hosts
    assert len(model.servers) == 2 * (2 + max(2, hosts))
    steps = simulate_session(inventory, START, scale_in=sample_vnfm_scale_in)
    assert steps[-1]["state"] == "MAINTENANCE_COMPLETE", steps[-1]
    maintained = [h for step in steps if step["state"] == "START_MAINTENANCE" for h in step["hosts"]]
    assert sorted(maintained) == sorted(h["name"] for h in inventory["hosts"])


def test_same_size_and_seed_same_cloud():
    assert scenarios.two_sizes(hosts=12, seed=4) == scenarios.two_sizes(hosts=12, seed=4)
    assert scenarios.two_sizes(hosts=12, seed=4) != scenarios.two_sizes(hosts=12, seed=5)


@pytest.mark.parametrize("hosts", [2, 0, -1, "8", True])
def test_too_few_hosts_are_refused_with_the_reason(hosts):
    with pytest.raises(ValueError, match="hosts must be an integer >= 3"):
        scenarios.two_sizes(hosts=hosts)


def test_more_instances_than_room_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="no room left for another instance"):
        scenarios.two_sizes(hosts=3, extras_per_project=100)
