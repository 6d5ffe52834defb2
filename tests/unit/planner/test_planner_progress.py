"""Reading the session's progress: every problem named."""

import pytest

from planner_clouds import cloud, host, progress

from rolling_maintenance.planner import validate_progress

SNAPSHOT = cloud([host("a"), host("b"), host("c")], [])


def test_a_good_progress_has_no_errors():
    assert validate_progress(progress(hosts=["a", "b"], maintained=["b"]), SNAPSHOT) == []
    assert validate_progress({}, SNAPSHOT) == []


@pytest.mark.parametrize("raw, message", [
    (progress(hosts=["a", "x"]), "progress.hosts: 'x' is not a host of the snapshot"),
    (progress(hosts=["a", "b"], maintained=["c"]), "progress.maintained: 'c' is not one of the session's hosts"),
    (progress(maintained=["y"]), "progress.maintained: 'y' is not one of the session's hosts"),
    (progress(hosts=["a", "a"]), "progress.hosts[1]: host 'a' is listed twice"),
    (progress(maintained=["a", "a"]), "progress.maintained[1]: host 'a' is listed twice"),
    (progress(hosts=[3]), "progress.hosts[0]: must be a host name, got 3"),
    (progress(rounds=-1), "progress: 'scale_in_rounds' must be a non-negative integer, got -1"),
    (progress(max_rounds="2"), "progress: 'max_scale_in_rounds' must be a non-negative integer, got '2'"),
    (progress(default_migration_type="EVACUATE"),
     "progress: 'default_migration_type' must be one of MIGRATE, LIVE_MIGRATE, OWN_ACTION, got 'EVACUATE'"),
    ({"hosts": "a,b"}, "progress: 'hosts' must be a list, got str"),
    ([], "progress: must be an object, got list"),
])
def test_each_problem_is_named(raw, message):
    assert message in validate_progress(raw, SNAPSHOT)


def test_a_bad_snapshot_is_reported_too():
    assert validate_progress({}, {"hosts": [{"name": "a"}]}) == [
        "host 'a': 'vcpus' is required", "host 'a': 'ram_mb' is required"]

