"""The verdict on the maintenance of one host."""

from audit_logs import event, move, state, vm

from rolling_maintenance.audit import events as ev, one_host_verdict

INITIAL = state(servers=[vm("a", "c0"), vm("b", "c0"), vm("x", "c1")])


def disable(t, host="c0"):
    return event(t, ev.SERVICE_DISABLED, host=host)


def enable(t, host="c0"):
    return event(t, ev.SERVICE_ENABLED, host=host)


def test_disabled_emptied_and_enabled_again():
    events = [disable(1), *move(2, 4, "a", "c0", "c1"), *move(2, 5, "b", "c0", "c2"), enable(6)]
    assert one_host_verdict(INITIAL, events, "c0") == {"migrations": 2, "problems": []}


def test_each_broken_rule_is_named():
    events = [*move(0, 1, "a", "c0", "c1"), disable(2), *move(3, 4, "b", "c0", "c2", outcome=ev.MIGRATION_FAILED)]
    assert one_host_verdict(INITIAL, events, "c0") == {"migrations": 2, "problems": [
        "moved before c0 was disabled: a", "migrations failed: b", "still on c0: b", "c0 was not enabled again"]}


def test_a_host_never_disabled():
    assert one_host_verdict(INITIAL, [], "c0")["problems"] == [
        "c0 was never disabled", "still on c0: a, b"]
