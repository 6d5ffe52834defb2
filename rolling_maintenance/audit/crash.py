"""The verdict on a session that was interrupted (a crash, an outage) and resumed.

A resumed session must look, in the simulator's event log, like one that was
never interrupted: every host maintained once, no host plug-in run again on a
host where it had finished, no instance moved off a maintained host or moved
again once a host was maintained, none lost, no host left disabled. Built on
`session_verdict` (the one replay); this adds what a rerun shows.
"""

from rolling_maintenance.audit import events as ev
from rolling_maintenance.audit.cloud import ACTIVE
from rolling_maintenance.audit.replay import WORK, as_cloud, replay_log
from rolling_maintenance.audit.session import session_verdict

# Events a session's own actions cause (the rest the cloud does by itself:
# a move or a host's work ending, a boot completing, a fault).
SESSION_STEPS = frozenset((ev.SERVICE_DISABLED, ev.SERVICE_ENABLED, ev.MIGRATION_STARTED,
                           ev.MIGRATION_CONFIRMED, ev.MIGRATION_REVERTED, ev.HOST_WORK_STARTED))

# The counts a resumed session must keep at 0, in the crash table's order.
COUNTS = ("hosts_maintained_twice", "plugins_rerun", "instances_moved_badly",
          "instances_lost", "hosts_left_disabled")


def crash_verdict(initial, events, hosts, plugin_labels=None):
    """`{count: n for COUNTS}`, the details behind each, and `problems`.

    `plugin_labels`: the host plug-ins' labels in the session's order; when
    given, a host whose work is not exactly that sequence is a problem too.
    """
    judged = session_verdict(initial, events, hosts)
    replay = replay_log(as_cloud(initial), events)
    twice = sorted(h for h, n in judged["maintained_count"].items() if n > 1)
    never = sorted(h for h, n in judged["maintained_count"].items() if n == 0)
    reruns = plugins_rerun(replay)
    moved_badly = sorted(set(judged["moved_twice_after_first_maintained"])
                         | {m["server"] for m in replay.moves
                            if m["outcome"] != "failed" and _off_maintained(replay, m)})
    lost_count, lost = instances_lost(as_cloud(initial), replay.cloud)
    out_of_order = {}
    if plugin_labels is not None:
        out_of_order = {h: labels for h, labels in judged["host_work"].items()
                        if labels != list(plugin_labels)}
    facts = {
        "hosts_maintained_twice": len(twice),
        "plugins_rerun": len(reruns),
        "instances_moved_badly": len(moved_badly),
        "instances_lost": lost_count,
        "hosts_left_disabled": len(judged["still_disabled"]),
        "hosts_not_maintained": never,
        "maintained_twice": twice,
        "reruns": reruns,
        "moved_badly": moved_badly,
        "lost": lost,
        "left_disabled": judged["still_disabled"],
        "plugins_out_of_order": out_of_order,
        "host_work": judged["host_work"],
        "migrations": judged["migrations"],
    }
    problems = list(judged["problems"])
    problems += ["plug-in %s ran again on %s after it had finished" % (r["label"], r["host"]) for r in reruns]
    problems += ["lost: %s" % text for text in lost]
    problems += ["%s: plug-ins ran as %s, not %s" % (h, labels, list(plugin_labels))
                 for h, labels in sorted(out_of_order.items())]
    facts["problems"] = problems
    return facts


def first_step_after(events, seq):
    """The first event after sequence number `seq` that a session's action
    caused: the session moves again. None if there is none yet."""
    return next((e for e in events if e.get("seq", 0) > seq and e["type"] in SESSION_STEPS), None)


def plugins_rerun(replay):
    """`[{"host", "label", "t"}]`: each host work started on a host where the
    same work (same label) had already finished."""
    reruns = []
    for host, intervals in sorted(replay.host_intervals.items()):
        work = [i for i in intervals if i["kind"] == WORK]
        for index, interval in enumerate(work):
            if any(earlier["label"] == interval["label"] and earlier["end"] is not None
                   and earlier["end"] <= interval["start"] for earlier in work[:index]):
                reruns.append({"host": host, "label": interval["label"], "t": interval["start"]})
    return reruns


def _off_maintained(replay, move):
    """Whether the source had been maintained (disabled and enabled again) before the move."""
    return any(i["kind"] != WORK and i["end"] is not None and i["end"] <= move["start"]
               for i in replay.host_intervals.get(move["source"], ()))


def instances_lost(before, after):
    """`(count, details)`: servers the cloud had at the start that are now in
    error, and per project the shortfall of active servers (a project's own
    deletions replaced by new servers do not count)."""
    in_error = sorted(s.id for s in after.servers.values() if s.status != ACTIVE and s.id in before.servers)
    count, details = len(in_error), ["%s in error" % s for s in in_error]
    for project in sorted({s.project for s in before.servers.values()}, key=str):
        had = sum(1 for s in before.servers.values() if s.project == project and s.status == ACTIVE)
        has = sum(1 for s in after.servers.values() if s.project == project and s.status == ACTIVE)
        missing = had - has - sum(1 for s in in_error if before.servers[s].project == project)
        if missing > 0:
            count += missing
            details.append("%s has %d active instance(s) fewer than at the start" % (project, missing))
    return count, details
