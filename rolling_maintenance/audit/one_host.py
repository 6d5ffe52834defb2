"""The verdict on the maintenance of one host (`maintenance.maintain_one_host`)."""

from rolling_maintenance.audit import events as ev
from rolling_maintenance.audit.replay import Replay, as_cloud, walk


def one_host_verdict(initial, events, host):
    """`{"migrations", "problems"}`: the host was disabled before any of its
    instances moved, every move off it succeeded, none is left on it, and it
    is enabled again at the end. `migrations` counts the moves off it."""
    cloud = as_cloud(initial)
    was_disabled = False
    early = []
    replay = None
    for event, replay in walk(cloud, events):
        if event["type"] == ev.MIGRATION_STARTED:
            move = replay.moves[-1]
            if move["source"] == host and host not in replay.cloud.disabled:
                early.append(move["server"])
        was_disabled = was_disabled or host in replay.cloud.disabled
    replay = replay or Replay(cloud)
    moves = [m for m in replay.moves if m["source"] == host]
    failed = [m["server"] for m in moves if m["outcome"] == "failed"]
    left = sorted(s.id for s in replay.cloud.servers.values() if s.host == host)
    problems = []
    if not was_disabled:
        problems.append("%s was never disabled" % host)
    if early:
        problems.append("moved before %s was disabled: %s" % (host, ", ".join(early)))
    if failed:
        problems.append("migrations failed: %s" % ", ".join(failed))
    if left:
        problems.append("still on %s: %s" % (host, ", ".join(left)))
    if was_disabled and host in replay.cloud.disabled:
        problems.append("%s was not enabled again" % host)
    return {"migrations": len(moves), "problems": problems}
