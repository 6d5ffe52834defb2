"""The one event applier: the cloud at every event, and server and host intervals."""

import pytest

from audit_logs import event, host, maintain, move, state, vm

from rolling_maintenance.audit import Cloud, events as ev, replay_log, walk
from rolling_maintenance.audit.cloud import HOST_IN_MAINTENANCE, MIGRATING, NOT_ACTIVE
from rolling_maintenance.audit.replay import FOLLOWED, IGNORED


def claims_at_each_event(initial, events, server):
    return [(e["type"], sorted(r.cloud.servers[server].claims)) for e, r in walk(initial, events)]


def test_every_type_of_the_vocabulary_is_followed_or_deliberately_ignored():
    assert FOLLOWED | IGNORED == ev.ALL
    assert not FOLLOWED & IGNORED


def test_a_live_move_claims_both_hosts_until_it_ends():
    initial = state(servers=[vm("a", "c0")])
    assert claims_at_each_event(initial, move(1, 3, "a", "c0", "c1"), "a") == [
        (ev.MIGRATION_STARTED, ["c0", "c1"]), (ev.MIGRATION_FINISHED, ["c1"])]


def test_a_cold_move_lands_then_holds_both_hosts_until_confirmed():
    initial = state(servers=[vm("a", "c0")])
    events = move(1, 3, "a", "c0", "c1", kind="cold") + [
        event(4, ev.MIGRATION_CONFIRMED, server="a", source="c0", dest="c1", kind="cold")]
    steps = [(e["type"], r.cloud.servers["a"].host, sorted(r.cloud.servers["a"].claims), r.cloud.moving("a"))
             for e, r in walk(initial, events)]
    assert steps == [(ev.MIGRATION_STARTED, "c0", ["c0", "c1"], True),
                     (ev.MIGRATION_FINISHED, "c1", ["c0", "c1"], False),
                     (ev.MIGRATION_CONFIRMED, "c1", ["c1"], False)]


@pytest.mark.parametrize("ending", [ev.MIGRATION_FAILED, ev.MIGRATION_REVERTED])
def test_a_failed_or_reverted_move_leaves_the_server_on_its_source(ending):
    initial = state(servers=[vm("a", "c0")])
    events = move(1, 3, "a", "c0", "c1", kind="cold")
    if ending == ev.MIGRATION_REVERTED:
        events.append(event(4, ending, server="a", source="c0", dest="c1", kind="cold"))
    else:
        events[-1]["type"] = ending
    replay = replay_log(initial, events)
    assert (replay.cloud.servers["a"].host, replay.cloud.servers["a"].claims) == ("c0", {"c0"})
    assert replay.moves[0]["outcome"] == {"migration.failed": "failed", "migration.reverted": "reverted"}[ending]
    assert replay.cloud.migrations == {}


def test_server_intervals_say_where_a_server_was_and_why_it_could_not_serve():
    initial = state(servers=[vm("a", "c0")])
    events = [event(1, ev.HOST_WORK_STARTED, host="c0", label="fw"), *move(2, 5, "a", "c0", "c1"),
              event(9, ev.HOST_WORK_FINISHED, host="c0", label="fw")]
    assert replay_log(initial, events).server_intervals["a"] == [
        {"start": 0.0, "end": 1.0, "host": "c0", "reasons": []},
        {"start": 1.0, "end": 2.0, "host": "c0", "reasons": [HOST_IN_MAINTENANCE]},
        {"start": 2.0, "end": 5.0, "host": "c0", "reasons": [MIGRATING, HOST_IN_MAINTENANCE]},
        {"start": 5.0, "end": None, "host": "c1", "reasons": []},
    ]


def test_a_new_server_is_not_active_until_it_boots_and_counts_its_flavor():
    events = [event(1, ev.SERVER_CREATED, server="n", host="c2", vcpus=2, ram_mb=2048, group=None),
              event(4, ev.SERVER_ACTIVE, server="n", host="c2")]
    steps = [(r.cloud.servers["n"].status, r.cloud.usage()["c2"]) for _, r in walk(state(), events)]
    assert steps == [("building", (2, 2048)), ("active", (2, 2048))]
    assert replay_log(state(), events).server_intervals["n"] == [
        {"start": 1.0, "end": 4.0, "host": "c2", "reasons": [NOT_ACTIVE]},
        {"start": 4.0, "end": None, "host": "c2", "reasons": []}]


def test_host_intervals_are_the_disabled_and_work_windows():
    replay = replay_log(state(), maintain(1, 7, "c0", label="fw"))
    assert replay.host_intervals["c0"] == [
        {"kind": "disabled", "start": 1.0, "end": 7.0, "label": None},
        {"kind": "work", "start": 1.0, "end": 7.0, "label": "fw"}]
    assert replay.maintained("c0") == 1
    assert replay.cloud.disabled == set() and replay.cloud.working == {}


def test_the_cloud_before_the_log_may_have_work_and_moves_under_way():
    initial = state(hosts=[host("c0", disabled=True, work="fw"), host("c1")], servers=[vm("a", "c0")],
                    migrations=[{"server": "a", "type": "live", "source": "c0", "dest": "c1",
                                 "status": "running", "created": 0.0}])
    cloud = Cloud.from_sim_state(initial)
    assert (cloud.disabled, cloud.working, cloud.servers["a"].claims) == ({"c0"}, {"c0": "fw"}, {"c0", "c1"})
    replay = replay_log(initial, [event(2, ev.MIGRATION_FINISHED, server="a", source="c0", dest="c1"),
                                  event(3, ev.HOST_WORK_FINISHED, host="c0")])
    assert replay.cloud.servers["a"].host == "c1" and replay.cloud.working == {}


def test_events_apply_in_time_order():
    events = list(reversed(move(1, 3, "a", "c0", "c1")))
    assert replay_log(state(servers=[vm("a", "c0")]), events).cloud.servers["a"].host == "c1"


def test_a_deleted_server_is_gone_and_its_move_ended():
    initial = state(servers=[vm("a", "c0")])
    events = [move(1, 3, "a", "c0", "c1")[0], event(2, ev.SERVER_DELETED, server="a", host="c0")]
    replay = replay_log(initial, events)
    assert "a" not in replay.cloud.servers and replay.cloud.deleted == {"a"}
    assert replay.moves[0]["outcome"] == "failed"
    assert replay.cloud.usage()["c1"] == (0, 0)


@pytest.mark.parametrize("events, message", [
    ([event(1, ev.MIGRATION_STARTED, server="zz", source="c0", dest="c1")],
     r"events\[0\] \(migration.started\): server 'zz' is not in the cloud"),
    ([event(1, ev.MIGRATION_STARTED, server="a", source="c0", dest="c9")],
     r"events\[0\] \(migration.started\): dest 'c9' is not a host of the cloud"),
    ([event(1, ev.MIGRATION_FINISHED, server="a", source="c0", dest="c1")],
     r"no move of server 'a' is under way"),
    ([event(1, ev.SERVER_CREATED, server="a", host="c1")], "server 'a' exists already"),
    ([event(1, ev.SERVER_DELETED, server="a"), event(2, ev.SERVER_ACTIVE, server="a")],
     r"events\[1\] \(server.active\): server 'a' was deleted before"),
    ([event(1, ev.HOST_WORK_STARTED, host="c0"), event(2, ev.HOST_WORK_STARTED, host="c0")],
     "work on c0 is under way already"),
    ([event(1, ev.HOST_WORK_FINISHED, host="c0")], "no work on c0 is under way"),
    ([event(1, "server.exploded", server="a")], r"events\[0\]: unknown event type 'server.exploded'"),
    ([{"t": 1}], r"events\[0\] must be a dict with a type"),
    ([{"type": ev.SERVICE_DISABLED, "host": "c0"}], r"events\[0\] \(service.disabled\) has no numeric t"),
    ("not a list", "events must be a list"),
])
def test_a_log_that_does_not_fit_the_cloud_is_refused_by_name(events, message):
    with pytest.raises(ValueError, match=message):
        replay_log(state(servers=[vm("a", "c0")]), events)


@pytest.mark.parametrize("initial, message", [
    (state(servers=[vm("a", "c7")]), r"servers\[0\] \(a\): host 'c7' is not a known host"),
    (state(servers=[vm("a", "c0"), vm("a", "c1")]), r"servers\[1\]: server 'a' is listed twice"),
    (dict(state(), hosts=[{"vcpus": 2}]), r"hosts\[0\] has no name"),
    (dict(state(), servers="x"), "servers must be a list"),
])
def test_a_cloud_that_cannot_be_read_is_refused_by_name(initial, message):
    with pytest.raises(ValueError, match=message):
        replay_log(initial, [])
