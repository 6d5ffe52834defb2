#!/usr/bin/env python3
"""Time one planner decision on a large made-up cloud.

    tools/bench_planner.py [--hosts 1000] [--per-host 20] [--repeat 3]

Prints, for each kind of decision, the best time of `plan_next` (reading the
snapshot included) over the repeats. The cloud: hosts of two sizes, each
with `--per-host` instances of mixed flavors from 50 projects, an
anti-affinity pair across every two hosts and an affinity pair on every
tenth host.
"""

import argparse
import random
import sys
import time

from rolling_maintenance.audit import inventory_violations
from rolling_maintenance.planner import plan_next

FLAVORS = ((1, 2048), (2, 4096), (4, 8192))
HOST_SIZES = ((96, 196608), (128, 262144))


def make_cloud(hosts, per_host, seed=7, headroom=0.15):
    """A valid snapshot where every host is used but has some `headroom`."""
    rng = random.Random(seed)
    snapshot = {"hosts": [], "instances": [], "groups": []}
    names = ["compute-%05d" % n for n in range(hosts)]
    for number, name in enumerate(names):
        vcpus, ram_mb = HOST_SIZES[number % len(HOST_SIZES)]
        budget = int(vcpus * (1 - headroom))
        flavors = [FLAVORS[rng.randrange(len(FLAVORS))] for _ in range(per_host)]
        while sum(f[0] for f in flavors) > budget:
            flavors[flavors.index(max(flavors))] = FLAVORS[0]
        snapshot["hosts"].append({"name": name, "vcpus": vcpus, "ram_mb": ram_mb, "enabled": True})
        for index, (f_vcpus, f_ram_mb) in enumerate(flavors):
            snapshot["instances"].append({
                "id": "%s-vm%02d" % (name, index), "project_id": "project-%d" % rng.randrange(50),
                "host": name, "vcpus": f_vcpus, "ram_mb": f_ram_mb, "status": "ACTIVE"})
    for pair in range(0, hosts - 1, 2):
        by_host = [i for i in snapshot["instances"] if i["host"] in (names[pair], names[pair + 1])]
        anti = "anti-%d" % pair
        snapshot["groups"].append({"group_id": anti, "project_id": "project-0", "policy": "anti-affinity"})
        by_host[0]["group_id"] = anti
        by_host[-1]["group_id"] = anti
        if pair % 10 == 0:
            together = "aff-%d" % pair
            snapshot["groups"].append({"group_id": together, "project_id": "project-1", "policy": "affinity"})
            by_host[1]["group_id"] = together
            by_host[2]["group_id"] = together
    return snapshot


def full_cloud(hosts, per_host):
    """Every vcpu taken: no host can be emptied (SCALE_IN, every candidate tried)."""
    snapshot = make_cloud(hosts, per_host, headroom=0.0)
    for host in snapshot["hosts"]:
        host["vcpus"] = sum(i["vcpus"] for i in snapshot["instances"] if i["host"] == host["name"])
    return snapshot


def scenarios(hosts, per_host):
    cloud = make_cloud(hosts, per_host)
    names = [h["name"] for h in cloud["hosts"]]
    half = names[: hosts // 2]
    fresh = {"hosts": [], "maintained": [], "scale_in_rounds": 0, "max_scale_in_rounds": 2}
    yield "first decision (PREPARE_MAINTENANCE)", cloud, fresh
    yield "half maintained (PLANNED_MAINTENANCE)", cloud, dict(fresh, maintained=half)
    yield "full cloud (SCALE_IN)", full_cloud(hosts, per_host), fresh


def best_time(snapshot, progress, repeat):
    times, step = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        step = plan_next(snapshot, progress)
        times.append(time.perf_counter() - start)
    return min(times), step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--per-host", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.hosts < 2 or args.per_host < 3 or args.repeat < 1:
        parser.error("need --hosts >= 2, --per-host >= 3 and --repeat >= 1")
    print("cloud: %d hosts x %d instances" % (args.hosts, args.per_host))
    for title, snapshot, progress in scenarios(args.hosts, args.per_host):
        problems = inventory_violations(snapshot)
        if problems:
            print("made-up cloud breaks its own rules: %s" % problems[:3], file=sys.stderr)
            return 1
        seconds, step = best_time(snapshot, progress, args.repeat)
        print("%-40s %8.1f ms  -> %s %s, %d moves" % (
            title, seconds * 1000, step["state"], step["hosts"][:1], len(step["moves"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
