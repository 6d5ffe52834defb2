"""The time the cloud worked for a session, and what was left over."""

from rolling_maintenance.audit import busy
from rolling_maintenance.audit import events as ev


def event(t, kind, **fields):
    return dict(fields, t=t, type=kind)


EVENTS = [
    event(0, ev.MIGRATION_STARTED, migration_id=1, server="a"),
    event(4, ev.MIGRATION_FINISHED, migration_id=1, server="a"),
    event(2, ev.MIGRATION_STARTED, migration_id=2, server="b"),
    event(3, ev.MIGRATION_FAILED, migration_id=2, server="b"),
    event(20, ev.HOST_WORK_STARTED, host="c0"),
    event(30, ev.HOST_WORK_FINISHED, host="c0"),
    event(40, ev.HOST_WORK_STARTED, host="c1"),
]


def test_work_and_recovery_intervals_from_the_event_log():
    spans = busy.work_intervals(EVENTS, recovery_s={"a": 5, "b": 100}, end_t=50)
    assert sorted(spans) == [(0, 4), (2, 3), (4, 9), (20, 30), (40, 50)]


def test_overlapping_spans_count_once_and_only_inside_the_window():
    spans = busy.work_intervals(EVENTS, recovery_s={"a": 5}, end_t=50)
    assert busy.covered(spans, 0, 50) == 9 + 10 + 10
    assert busy.covered(spans, 3, 25) == 6 + 5
    assert busy.covered(spans, 10, 20) == 0
