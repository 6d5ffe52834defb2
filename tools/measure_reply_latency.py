"""Measure the time from a VNFM's reply to the next cloud call it unblocks.

Runs a rolling maintenance of the demo cloud and, for every PLANNED or
PREPARE_MAINTENANCE round, takes the last project's accepted reply and the
first migration the simulator saw after it. Prints one JSON line with the
median and the maximum in real seconds, and the demo's wall time.
"""

import argparse
import json
import statistics
import time

from rolling_maintenance.audit.events import MIGRATION_STARTED
from rolling_maintenance.demo import scenarios, session

MOVE_STATES = ("ACK_PLANNED_MAINTENANCE", "ACK_PREPARE_MAINTENANCE")


def reply_to_migration_gaps(vnfms, events):
    """Simulated seconds from each round's last reply to its first migration."""
    replies = sorted(r["t"] for v in vnfms for r in v.replies
                     if r.get("status") == 200 and r.get("state") in MOVE_STATES)
    starts = sorted(e["t"] for e in events if e["type"] == MIGRATION_STARTED)
    gaps = []
    for index, t in enumerate(replies):
        following = next((s for s in starts if s >= t), None)
        next_reply = replies[index + 1] if index + 1 < len(replies) else None
        if following is None or (next_reply is not None and next_reply <= following):
            continue  # not the last reply of its round
        gaps.append(following - t)
    return gaps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--speed", type=float, default=200.0)
    args = parser.parse_args()
    started = time.monotonic()
    inventory = scenarios.two_sizes(hosts=args.hosts, seed=args.seed)
    with session.SessionRun(inventory, speed=args.speed) as run:
        session_id = run.create({"actions": session.HOST_PLUGINS})
        run.wait(session_id)
        gaps = reply_to_migration_gaps(run.vnfms.values(), run.env.sim.events())
        state = run.verdict(session_id)["state"]
    real = [g / args.speed for g in gaps]
    print(json.dumps({
        "state": state,
        "rounds": len(real),
        "reply_to_migration_median_s": round(statistics.median(real), 3) if real else None,
        "reply_to_migration_max_s": round(max(real), 3) if real else None,
        "wall_s": round(time.monotonic() - started, 1),
    }))


if __name__ == "__main__":
    main()
