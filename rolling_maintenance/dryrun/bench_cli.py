"""`rolling-maintenance bench`: the parallel planner against the serial one
and against the lower bound, on seeded clouds, one JSON line per scenario."""

import json
import resource
import sys
import time

from rolling_maintenance.dryrun.avoidable import avoidable_migrations
from rolling_maintenance.planner.bench_clouds import SCENARIOS, bench_cloud
from rolling_maintenance.planner.duration import read_timing
from rolling_maintenance.planner.round_clock import makespan, simulate_rounds
from rolling_maintenance.planner.lower_bound import bounds_s
from rolling_maintenance.planner.parallel_plan import plan_rounds
from rolling_maintenance.planner.snapshot import parse_snapshot


def add_arguments(parser):
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append",
                        help="run only this scenario (repeatable; default: all)")
    parser.add_argument("--json", action="store_true", help="JSON lines only (the default output too)")


def _peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


def _makespan(inventory, rounds):
    snapshot = parse_snapshot(inventory)
    return makespan(simulate_rounds(rounds, snapshot, read_timing(snapshot.raw.get("timing"))))


def run_scenario(name):
    """One scenario's figures as a dict."""
    spec = SCENARIOS[name]
    inventory = bench_cloud(spec["hosts"], spec["spare"])
    started = time.process_time()
    rounds = plan_rounds(inventory, None)
    cpu = time.process_time() - started
    instances = len(inventory["instances"])
    migrations = sum(len(one["moves"]) for one in rounds)
    span = _makespan(inventory, rounds)
    bounds = bounds_s(inventory)
    bound, any_order = bounds["rounds"], bounds["any_order"]
    serial = _makespan(inventory, plan_rounds(inventory, 1)) if spec["serial"] else None
    return {
        "scenario": name,
        "hosts": spec["hosts"],
        "instances": instances,
        "rounds": len(rounds),
        "makespan_s": round(span, 1),
        "lower_bound_s": round(bound, 1),
        "makespan_over_lower_bound": round(span / bound, 3),
        "any_order_bound_s": round(any_order, 1),
        "makespan_over_any_order_bound": round(span / any_order, 3),
        "serial_makespan_s": None if serial is None else round(serial, 1),
        "speedup_vs_serial": None if serial is None else round(serial / span, 2),
        "migrations": migrations,
        "migrations_per_instance": round(migrations / instances, 3),
        "avoidable_migrations": avoidable_migrations(inventory, rounds),
        "plan_cpu_s": round(cpu, 3),
        "plan_cpu_ms_per_1000_instances": round(cpu * 1e6 / instances, 2),
        "peak_rss_mb": _peak_rss_mb(),
    }


def run(args, out=None):
    out = out or sys.stdout
    for name in args.scenario or list(SCENARIOS):
        print(json.dumps(run_scenario(name), sort_keys=False), file=out, flush=True)
    return 0
