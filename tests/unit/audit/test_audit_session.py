"""The session verdict: each rule a finished session must keep, and a log that breaks it."""

from audit_logs import event, host, maintain, move, numbered, state, vm

from rolling_maintenance.audit import events as ev, session_verdict

HOSTS = ["c0", "c1", "c2"]
# Three 2-vcpu hosts; a and b are an anti-affinity pair, x a loose instance.
INITIAL = state(servers=[vm("a", "c0", group="aa"), vm("b", "c1", group="aa"), vm("x", "c2")],
                groups=[("aa", "anti-affinity")])


def rolling_log():
    """c0, c1, c2 in turn, each emptied while disabled, then worked on and enabled."""
    return numbered(
        maintain(1, 5, "c0", moves=[move(1, 3, "a", "c0", "c2")])
        + maintain(6, 10, "c1", moves=[move(6, 8, "b", "c1", "c0")])
        + maintain(11, 15, "c2", moves=[move(11, 12, "a", "c2", "c1"), move(11, 13, "x", "c2", "c0")]))


def test_a_clean_rolling_session_breaks_no_rule():
    verdict = session_verdict(INITIAL, rolling_log(), HOSTS)
    assert verdict["problems"] == [] and verdict["violations"] == []
    assert verdict["maintained_count"] == {"c0": 1, "c1": 1, "c2": 1}
    assert verdict["still_disabled"] == []
    assert (verdict["migrations"], verdict["prepare_migrations"], verdict["failed_migrations"]) == (4, 1, 0)
    assert verdict["moves_off_maintained_hosts"] == 0
    assert verdict["moved_twice_after_first_maintained"] == []
    assert verdict["host_work"] == {"c0": ["upgrade"], "c1": ["upgrade"], "c2": ["upgrade"]}
    assert verdict["most_hosts_in_maintenance_at_once"] == 1
    assert verdict["most_members_impacted_at_once"] == {"aa": 1}


def test_a_host_maintained_twice():
    events = numbered(rolling_log() + maintain(20, 25, "c0"))
    verdict = session_verdict(INITIAL, events, HOSTS)
    assert verdict["maintained_count"]["c0"] == 2
    assert verdict["problems"] == ["c0 maintained 2 times, not once"]


def test_a_host_never_maintained_or_left_disabled():
    events = numbered(maintain(1, 5, "c0", moves=[move(1, 3, "a", "c0", "c2")])
                      + [event(6, ev.SERVICE_DISABLED, host="c1")])
    verdict = session_verdict(INITIAL, events, HOSTS)
    assert verdict["still_disabled"] == ["c1"]
    assert verdict["problems"] == ["c1 maintained 0 times, not once", "c2 maintained 0 times, not once",
                                   "c1 left disabled"]


def test_a_move_off_a_maintained_host():
    events = numbered(maintain(1, 5, "c0", moves=[move(1, 3, "a", "c0", "c2")])
                      + move(6, 7, "x", "c2", "c0") + move(8, 9, "x", "c0", "c1"))
    verdict = session_verdict(INITIAL, events, ["c0"])
    assert verdict["moves_off_maintained_hosts"] == 1
    assert verdict["moved_twice_after_first_maintained"] == ["x"]
    assert verdict["problems"] == ["x moved off c0, a host already maintained",
                                   "x moved again after the first host was maintained"]


def test_a_moment_over_capacity_is_caught_once_with_its_time():
    initial = state(hosts=[host("c0"), host("c1", vcpus=1)], servers=[vm("a", "c0"), vm("x", "c1")])
    events = numbered(move(1, 3, "a", "c0", "c1") + [event(2, ev.SERVICE_DISABLED, host="c0"),
                                                     event(4, ev.SERVICE_ENABLED, host="c0")])
    verdict = session_verdict(initial, events, ["c0"])
    assert verdict["violations"] == ["t=1 seq=1: host c1: 2 vcpus used of 1"]
    assert verdict["problems"] == verdict["violations"]


def test_a_broken_anti_affinity_group_is_caught():
    events = numbered(maintain(1, 5, "c0", moves=[move(1, 3, "a", "c0", "c1")]))
    verdict = session_verdict(INITIAL, events, ["c0"])
    assert verdict["violations"] == ["t=1 seq=2: anti-affinity group aa: a, b share host c1"]
    assert verdict["problems"] == verdict["violations"]


def test_an_affinity_group_split_by_a_move_is_caught():
    initial = state(servers=[vm("p", "c0", group="af"), vm("q", "c0", group="af")], groups=[("af", "affinity")])
    verdict = session_verdict(initial, numbered(move(1, 3, "p", "c0", "c1")), ["c0"])
    assert verdict["violations"] == ["t=1 seq=1: affinity group af: members on 2 hosts (p, q on c0; p on c1)",
                                     "t=3 seq=2: affinity group af: members on 2 hosts (q on c0; p on c1)"]


def test_a_failed_move_is_no_move():
    events = numbered(maintain(1, 5, "c0", moves=[move(1, 2, "a", "c0", "c2", outcome=ev.MIGRATION_FAILED),
                                                  move(3, 4, "a", "c0", "c2")]))
    verdict = session_verdict(INITIAL, events, ["c0"])
    assert (verdict["migrations"], verdict["failed_migrations"]) == (1, 1)
    assert verdict["problems"] == []


def test_parallel_rounds_count_hosts_at_once_and_members_leaving_in_turn():
    initial = state(hosts=[host(name) for name in ("c0", "c1", "c2", "c3")],
                    servers=[vm("a", "c0", group="aa"), vm("b", "c1", group="aa")], groups=[("aa", "anti-affinity")])
    events = numbered([event(1, ev.SERVICE_DISABLED, host="c0"), event(1, ev.SERVICE_DISABLED, host="c1"),
                       *move(1, 2, "a", "c0", "c2"), *move(3, 4, "b", "c1", "c3"),
                       event(5, ev.SERVICE_ENABLED, host="c0"), event(5, ev.SERVICE_ENABLED, host="c1")])
    verdict = session_verdict(initial, events, ["c0", "c1"])
    assert verdict["most_hosts_in_maintenance_at_once"] == 2
    assert verdict["moved_after_a_member_left_the_round"] == 1
    assert verdict["most_members_impacted_at_once"] == {"aa": 1}
    assert verdict["problems"] == []
