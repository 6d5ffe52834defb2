"""The verdict on an interrupted and resumed session, on hand-made event logs."""

from audit_logs import event, host, move, numbered, state, vm

from rolling_maintenance.audit import crash as audit_crash, crash_verdict, events as ev

HOSTS = ["c0", "c1", "c2"]
LABELS = ["firmware", "upgrade"]
INITIAL = state(servers=[vm("a", "c0", group="aa", project="p"), vm("b", "c1", group="aa", project="p"),
                         vm("x", "c2", project="q")],
                groups=[("aa", "anti-affinity")])


def work(t, host_name, label, duration=1):
    return [event(t, ev.HOST_WORK_STARTED, host=host_name, label=label),
            event(t + duration, ev.HOST_WORK_FINISHED, host=host_name, label=label)]


def maintain_with_plugins(t, host_name, moves=(), labels=LABELS):
    """Disable, move, then each plug-in's work in turn, then enable."""
    body = [event(t, ev.SERVICE_DISABLED, host=host_name)]
    for moved in moves:
        body += moved
    start = max(e["t"] for e in body)
    for index, label in enumerate(labels):
        body += work(start + 2 * index, host_name, label)
    return body + [event(start + 2 * len(labels), ev.SERVICE_ENABLED, host=host_name)]


def clean_log():
    return (maintain_with_plugins(1, "c0", moves=[move(1, 3, "a", "c0", "c2")])
            + maintain_with_plugins(10, "c1", moves=[move(10, 12, "b", "c1", "c0")])
            + maintain_with_plugins(20, "c2", moves=[move(20, 21, "a", "c2", "c1"),
                                                     move(20, 22, "x", "c2", "c0")]))


def verdict(events):
    return crash_verdict(INITIAL, numbered(events), HOSTS, plugin_labels=LABELS)


def test_a_session_resumed_cleanly_counts_nothing():
    judged = verdict(clean_log())
    assert {k: judged[k] for k in ("hosts_maintained_twice", "plugins_rerun", "instances_moved_badly",
                                   "instances_lost", "hosts_left_disabled")} == dict.fromkeys(
        ("hosts_maintained_twice", "plugins_rerun", "instances_moved_badly", "instances_lost",
         "hosts_left_disabled"), 0)
    assert judged["problems"] == []
    assert judged["host_work"] == {h: LABELS for h in HOSTS}


def test_continue_that_starts_over_maintains_again_and_reruns_the_plugins():
    """The defect a rerun `decide` shows: c0 done, then done again from the start."""
    judged = verdict(clean_log() + maintain_with_plugins(30, "c0"))
    assert judged["hosts_maintained_twice"] == 1 and judged["maintained_twice"] == ["c0"]
    assert judged["plugins_rerun"] == 2
    assert [(r["host"], r["label"]) for r in judged["reruns"]] == [("c0", "firmware"), ("c0", "upgrade")]
    assert judged["plugins_out_of_order"] == {"c0": LABELS + LABELS}
    assert "plug-in firmware ran again on c0 after it had finished" in judged["problems"]


def test_a_plugin_killed_mid_run_and_run_again_is_a_rerun_once_the_first_finished():
    events = (clean_log()[:-1]  # c2 not enabled yet
              + work(40, "c2", "upgrade") + [event(45, ev.SERVICE_ENABLED, host="c2")])
    judged = verdict(events)
    assert judged["plugins_rerun"] == 1 and judged["reruns"][0]["host"] == "c2"
    assert judged["hosts_maintained_twice"] == 0


def test_a_plugin_that_never_finished_and_runs_again_is_not_a_rerun_after_success():
    body = [event(1, ev.SERVICE_DISABLED, host="c2"), event(1, ev.HOST_WORK_STARTED, host="c2", label="firmware")]
    initial = state(hosts=[host("c0"), host("c1"), host("c2")], servers=[vm("a", "c0")])
    judged = crash_verdict(initial, numbered(body), ["c2"])
    assert judged["plugins_rerun"] == 0
    assert judged["hosts_left_disabled"] == 1 and judged["left_disabled"] == ["c2"]
    assert judged["hosts_not_maintained"] == ["c2"]


def test_an_instance_moved_off_a_maintained_host():
    events = clean_log() + move(40, 41, "x", "c0", "c1")
    judged = verdict(events)
    assert judged["instances_moved_badly"] == 1 and judged["moved_badly"] == ["x"]


def test_a_failed_move_off_a_maintained_host_moves_nothing():
    events = clean_log() + move(40, 41, "x", "c0", "c1", outcome=ev.MIGRATION_FAILED)
    assert verdict(events)["instances_moved_badly"] == 0


def test_an_instance_lost_or_in_error():
    events = clean_log() + [event(40, ev.SERVER_DELETED, server="x", project="q", host="c0"),
                            event(41, ev.SERVER_ERROR, server="a", project="p", reason="boom")]
    judged = verdict(events)
    assert judged["instances_lost"] == 2
    assert judged["lost"] == ["a in error", "q has 1 active instance(s) fewer than at the start"]


def test_an_instance_deleted_and_replaced_by_its_project_is_not_lost():
    events = clean_log() + [
        event(40, ev.SERVER_DELETED, server="x", project="q", host="c0"),
        event(41, ev.SERVER_CREATED, server="y", project="q", host="c1", vcpus=1, ram_mb=1024),
        event(42, ev.SERVER_ACTIVE, server="y", project="q", host="c1")]
    assert verdict(events)["instances_lost"] == 0


def test_the_session_moves_again_with_its_first_own_step_not_with_what_the_cloud_finishes_alone():
    events = numbered(clean_log())
    finished = [e for e in events if e["type"] == ev.HOST_WORK_FINISHED][0]
    step = audit_crash.first_step_after(events, finished["seq"] - 1)
    assert (step["type"], step["label"]) == (ev.HOST_WORK_STARTED, "upgrade") and step["seq"] > finished["seq"]
    assert audit_crash.first_step_after(events, events[-1]["seq"]) is None
