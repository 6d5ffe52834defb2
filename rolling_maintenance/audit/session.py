"""The verdict on a rolling session, from the simulator's event log alone."""

from rolling_maintenance.audit import events as ev
from rolling_maintenance.audit.placement import placement_violations
from rolling_maintenance.audit.replay import WORK, Replay, as_cloud, walk


def session_verdict(initial, events, hosts):
    """What the session did to the cloud, judged at every event.

    `initial`: the cloud before the first event (the simulator's state, or a
    `Cloud`); `hosts`: the session's hosts. `problems` lists each rule a
    finished session must keep and did not: a moment with a host over
    capacity or a hard group policy broken, a host maintained other than
    once or left disabled, an instance moved off a host already maintained,
    an instance moved twice after the first host was maintained.
    """
    hosts = list(hosts)
    cloud = as_cloud(initial)
    disabled_before = set(cloud.disabled)
    judge = _Judge(hosts)
    replay = None
    for event, replay in walk(cloud, events):
        judge.observe(event, replay)
    replay = replay or Replay(cloud)
    kept = [(move, off, before) for move, off, before in judge.moves if move["outcome"] != "failed"]
    facts = {
        "violations": judge.violations,
        "maintained_count": {h: replay.maintained(h) for h in hosts},
        "still_disabled": sorted(cloud.disabled - disabled_before),
        "migrations": len(kept),
        "prepare_migrations": sum(1 for _, _, any_maintained in kept if not any_maintained),
        "moves_off_maintained_hosts": sum(1 for _, off, _ in kept if off),
        "moved_twice_after_first_maintained": _moved_twice_after_first_maintained(kept),
        "host_work": _host_work(replay),
        "failed_migrations": len(judge.moves) - len(kept),
        "most_hosts_in_maintenance_at_once": judge.most_disabled,
        "most_members_impacted_at_once": dict(sorted(judge.most_impacted.items())),
        "moved_after_a_member_left_the_round": judge.moved_after_member_left,
    }
    facts["problems"] = _problems(facts, kept)
    return facts


def _moved_twice_after_first_maintained(kept):
    """Instances moved more than once whose first move came after a host was maintained."""
    by_server = {}
    for move, _off, any_maintained in kept:
        by_server.setdefault(move["server"], []).append(any_maintained)
    return sorted(s for s, firsts in by_server.items() if len(firsts) > 1 and firsts[0])


def _host_work(replay):
    """`{host: [labels of the work done on it, in order]}`."""
    work = {}
    for host, intervals in sorted(replay.host_intervals.items()):
        labels = [i["label"] for i in intervals if i["kind"] == WORK]
        if labels:
            work[host] = labels
    return work


class _Judge:
    """The rules that look at the cloud as it is at each event."""

    def __init__(self, hosts):
        self.hosts = set(hosts)
        self.violations = []
        self.moves = []  # (move, off a maintained host, any host maintained before)
        self.most_disabled = 0
        self.most_impacted = {}
        self.moved_after_member_left = 0
        self._current = set()

    def observe(self, event, replay):
        cloud = replay.cloud
        if event["type"] == ev.MIGRATION_STARTED:
            move = replay.moves[-1]
            any_maintained = any(replay.maintained(h) for h in replay.host_intervals)
            self.moves.append((move, replay.maintained(move["source"]) > 0, any_maintained))
            if _member_left_the_round(replay, move["server"]):
                self.moved_after_member_left += 1
        found = placement_violations(cloud)
        self.violations.extend("t=%s seq=%s: %s" % (event["t"], event.get("seq"), message)
                               for message in found if message not in self._current)
        self._current = set(found)
        self.most_disabled = max(self.most_disabled, len(cloud.disabled & self.hosts))
        for group, count in _impacted(cloud).items():
            self.most_impacted[group] = max(self.most_impacted.get(group, 0), count)


def _member_left_the_round(replay, server_id):
    """Whether another member of the server's group last left a host that is
    still disabled (being emptied or maintained): two hosts of one round, in turn."""
    cloud = replay.cloud
    group = cloud.servers[server_id].group
    if group is None:
        return False
    last_source = {m["server"]: m["source"] for m in replay.moves if m["outcome"] != "failed"}
    return any(other != server_id and server.group == group and last_source.get(other) in cloud.disabled
               for other, server in cloud.servers.items())


def _impacted(cloud):
    """`{group: members between two hosts or on a host under maintenance}`."""
    counts = {}
    for server in cloud.servers.values():
        if server.group is not None and (len(server.claims) > 1 or server.host in cloud.working):
            counts[server.group] = counts.get(server.group, 0) + 1
    return counts


def _problems(facts, kept):
    found = list(facts["violations"])
    found += ["%s maintained %d times, not once" % (h, n) for h, n in facts["maintained_count"].items() if n != 1]
    found += ["%s left disabled" % h for h in facts["still_disabled"]]
    found += ["%s moved off %s, a host already maintained" % (m["server"], m["source"])
              for m, off, _ in kept if off]
    found += ["%s moved again after the first host was maintained" % s
              for s in facts["moved_twice_after_first_maintained"]]
    return found
