"""Downtime of the active instance, from hand-made event logs."""

import pytest

from rolling_maintenance.vnfm.availability import (
    DELETED, HOST_IN_MAINTENANCE, MIGRATING, NOT_ACTIVE, downtime, unavailable_intervals)


def ev(t, type_, **fields):
    return dict(fields, t=t, type=type_)


def migration(t_start, t_end, server, source, dest, outcome="finished"):
    return [ev(t_start, "migration.started", server=server, source=source, dest=dest, type="live"),
            ev(t_end, "migration." + outcome, server=server, source=source, dest=dest, type="live")]


def test_switch_before_the_host_goes_down_means_zero_downtime():
    events = [ev(20, "host.work.started", host="c0"),
              *migration(21, 30, "a", "c0", "c2"),
              ev(40, "host.work.finished", host="c0")]
    role_log = [(0, "a"), (15, "b")]
    assert downtime(role_log, events, 100) == 0
    assert unavailable_intervals(role_log, events, 100) == []


def test_a_host_only_disabled_in_nova_still_serves_its_instances():
    events = [ev(20, "service.disabled", host="c0"),
              *migration(60, 70, "b", "c0", "c2"),
              ev(90, "host.work.started", host="c0"),
              ev(95, "service.enabled", host="c0")]
    role_log = [(0, "a"), (50, "b"), (75, "a")]
    assert unavailable_intervals(role_log, events, 100) == [
        {"start": 60.0, "end": 70.0, "server": "b", "reasons": [MIGRATING]}]


def test_active_left_on_a_host_in_maintenance_is_down_until_it_moves_off():
    events = [ev(20, "host.work.started", host="c0"),
              *migration(25, 30, "a", "c0", "c2"),
              ev(40, "host.work.finished", host="c0")]
    intervals = unavailable_intervals([(0, "a")], events, 100)
    assert intervals == [
        {"start": 20.0, "end": 25.0, "server": "a", "reasons": [HOST_IN_MAINTENANCE]},
        {"start": 25.0, "end": 30.0, "server": "a", "reasons": [MIGRATING, HOST_IN_MAINTENANCE]},
    ]
    assert downtime([(0, "a")], events, 100) == 10


def test_migrating_active_is_down_while_it_migrates():
    events = migration(10, 13.5, "a", "c0", "c1")
    assert downtime([(0, "a")], events, 50) == 3.5


def test_failed_migration_leaves_the_server_on_its_source_host():
    events = [*migration(10, 12, "a", "c0", "c1", outcome="failed"),
              ev(14, "host.work.started", host="c0"),
              ev(20, "host.work.finished", host="c0")]
    assert downtime([(0, "a")], events, 50) == 2 + 6


def test_migrated_active_is_not_hit_by_its_old_hosts_maintenance():
    events = [*migration(10, 12, "a", "c0", "c1"),
              ev(14, "host.work.started", host="c0"),
              ev(20, "host.work.finished", host="c0")]
    assert downtime([(0, "a")], events, 50) == 2


def test_new_active_counts_from_its_creation_until_active():
    events = [ev(5, "server.created", server="n", project="p", host="c1"),
              ev(9, "server.active", server="n", project="p", host="c1")]
    intervals = unavailable_intervals([(0, "a"), (6, "n")], events, 20)
    assert intervals == [{"start": 6.0, "end": 9.0, "server": "n", "reasons": [NOT_ACTIVE]}]


def test_deleted_active_is_down_until_the_role_moves():
    events = [ev(10, "server.deleted", server="a", project="p", host="c0")]
    intervals = unavailable_intervals([(0, "a"), (16, "b")], events, 30)
    assert intervals == [{"start": 10.0, "end": 16.0, "server": "a", "reasons": [DELETED]}]


def test_events_of_other_servers_and_hosts_do_not_count():
    events = [*migration(1, 5, "x", "c0", "c1"),
              ev(2, "host.work.started", host="c3"),
              ev(3, "server.created", server="y", project="p", host="c2")]
    assert downtime([(0, "a")], events, 10) == 0


def test_host_already_disabled_when_the_log_starts():
    events = [ev(8, "host.work.finished", host="c0"),
              *migration(20, 22, "a", "c0", "c1")]
    assert downtime([(0, "a")], events, 30) == 8 + 2


def test_time_before_the_first_role_and_after_end_t_does_not_count():
    events = [*migration(1, 4, "a", "c0", "c1"), *migration(8, 12, "a", "c1", "c0")]
    assert downtime([(3, "a")], events, 10) == 1 + 2


def test_no_role_no_downtime():
    assert unavailable_intervals([], [ev(1, "host.work.started", host="c0")], 10) == []


def test_events_out_of_order_are_sorted_by_time():
    events = list(reversed(migration(10, 13, "a", "c0", "c1")))
    assert downtime([(0, "a")], events, 50) == 3


@pytest.mark.parametrize("role_log, events, message", [
    ([("a", 0)], [], "t must be a number"),
    ([(0,)], [], r"role_log\[0\] must be"),
    ([(0, "a")], [{"t": 1}], r"events\[0\] must be a dict with a type"),
    ([(0, "a")], [{"type": "host.work.started", "host": "c0"}], "has no numeric t"),
])
def test_bad_input_is_named(role_log, events, message):
    with pytest.raises(ValueError, match=message):
        downtime(role_log, events, 10)
