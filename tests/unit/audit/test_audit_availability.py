"""Downtime of an application's active instance, from hand-made event logs."""

import pytest

from audit_logs import event, host, move, state, vm

from rolling_maintenance.audit import downtime, events as ev, unavailable_intervals
from rolling_maintenance.audit.availability import DELETED, HOST_IN_MAINTENANCE, MIGRATING, NOT_ACTIVE

HOSTS = [host(name, vcpus=8) for name in ("c0", "c1", "c2", "c3")]


def cloud(**where):
    """The cloud before the log: server id -> host."""
    return state(hosts=HOSTS, servers=[vm(server, on) for server, on in sorted(where.items())])


def work(t_start, t_end, host_name):
    return [event(t_start, ev.HOST_WORK_STARTED, host=host_name),
            event(t_end, ev.HOST_WORK_FINISHED, host=host_name)]


def test_switch_before_the_host_goes_down_means_zero_downtime():
    initial = cloud(a="c0", b="c1")
    events = [*work(20, 40, "c0"), *move(21, 30, "a", "c0", "c2")]
    role_log = [(0, "a"), (15, "b")]
    assert downtime(initial, events, role_log, 100) == 0
    assert unavailable_intervals(initial, events, role_log, 100) == []


def test_a_host_only_disabled_in_nova_still_serves_its_instances():
    initial = cloud(a="c1", b="c0")
    events = [event(20, ev.SERVICE_DISABLED, host="c0"), *move(60, 70, "b", "c0", "c2"),
              event(90, ev.HOST_WORK_STARTED, host="c0"), event(95, ev.SERVICE_ENABLED, host="c0")]
    assert unavailable_intervals(initial, events, [(0, "a"), (50, "b"), (75, "a")], 100) == [
        {"start": 60.0, "end": 70.0, "server": "b", "reasons": [MIGRATING]}]


def test_active_left_on_a_host_in_maintenance_is_down_until_it_moves_off():
    initial = cloud(a="c0")
    events = [*work(20, 40, "c0"), *move(25, 30, "a", "c0", "c2")]
    assert unavailable_intervals(initial, events, [(0, "a")], 100) == [
        {"start": 20.0, "end": 25.0, "server": "a", "reasons": [HOST_IN_MAINTENANCE]},
        {"start": 25.0, "end": 30.0, "server": "a", "reasons": [MIGRATING, HOST_IN_MAINTENANCE]},
    ]
    assert downtime(initial, events, [(0, "a")], 100) == 10


def test_migrating_active_is_down_while_it_migrates():
    assert downtime(cloud(a="c0"), move(10, 13.5, "a", "c0", "c1"), [(0, "a")], 50) == 3.5


def test_failed_migration_leaves_the_server_on_its_source_host():
    events = [*move(10, 12, "a", "c0", "c1", outcome=ev.MIGRATION_FAILED), *work(14, 20, "c0")]
    assert downtime(cloud(a="c0"), events, [(0, "a")], 50) == 2 + 6


def test_migrated_active_is_not_hit_by_its_old_hosts_maintenance():
    events = [*move(10, 12, "a", "c0", "c1"), *work(14, 20, "c0")]
    assert downtime(cloud(a="c0"), events, [(0, "a")], 50) == 2


def test_new_active_counts_from_its_creation_until_active():
    events = [event(5, ev.SERVER_CREATED, server="n", project="p", host="c1"),
              event(9, ev.SERVER_ACTIVE, server="n", project="p", host="c1")]
    assert unavailable_intervals(cloud(a="c0"), events, [(0, "a"), (6, "n")], 20) == [
        {"start": 6.0, "end": 9.0, "server": "n", "reasons": [NOT_ACTIVE]}]


def test_deleted_active_is_down_until_the_role_moves():
    events = [event(10, ev.SERVER_DELETED, server="a", project="p", host="c0")]
    assert unavailable_intervals(cloud(a="c0", b="c1"), events, [(0, "a"), (16, "b")], 30) == [
        {"start": 10.0, "end": 16.0, "server": "a", "reasons": [DELETED]}]


def test_events_of_other_servers_and_hosts_do_not_count():
    events = [*move(1, 5, "x", "c0", "c1"), event(2, ev.HOST_WORK_STARTED, host="c3"),
              event(3, ev.SERVER_CREATED, server="y", project="p", host="c2")]
    assert downtime(cloud(a="c0", x="c0"), events, [(0, "a")], 10) == 0


def test_host_already_in_maintenance_when_the_log_starts():
    initial = state(hosts=[host("c0", disabled=True, work="fw"), host("c1")], servers=[vm("a", "c0")])
    events = [event(8, ev.HOST_WORK_FINISHED, host="c0"), *move(20, 22, "a", "c0", "c1")]
    assert downtime(initial, events, [(0, "a")], 30) == 8 + 2


def test_time_before_the_first_role_and_after_end_t_does_not_count():
    events = [*move(1, 4, "a", "c0", "c1"), *move(8, 12, "a", "c1", "c0")]
    assert downtime(cloud(a="c0"), events, [(3, "a")], 10) == 1 + 2


def test_no_role_no_downtime():
    assert unavailable_intervals(cloud(a="c0"), work(1, 5, "c0"), [], 10) == []


def test_events_out_of_order_are_sorted_by_time():
    events = list(reversed(move(10, 13, "a", "c0", "c1")))
    assert downtime(cloud(a="c0"), events, [(0, "a")], 50) == 3


@pytest.mark.parametrize("role_log, events, message", [
    ([("a", 0)], [], "t must be a number"),
    ([(0,)], [], r"role_log\[0\] must be"),
    ([(0, "zz")], [], r"role_log\[0\]: server 'zz' is not in the cloud"),
    ([(0, "a")], [{"t": 1}], r"events\[0\] must be a dict with a type"),
    ([(0, "a")], [{"type": "host.work.started", "host": "c0"}], "has no numeric t"),
])
def test_bad_input_is_named(role_log, events, message):
    with pytest.raises(ValueError, match=message):
        downtime(cloud(a="c0"), events, role_log, 10)
