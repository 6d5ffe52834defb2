"""`rolling-maintenance bench`: the parallel planner against the serial one
and against the bounds, on seeded clouds (uniform and uneven), one JSON line
per scenario."""

import json
import multiprocessing
import resource
import sys
import time

from rolling_maintenance.dryrun.avoidable import avoidable_migrations
from rolling_maintenance.dryrun.plan_cli import add_moved_twice_argument, positive_seconds
from rolling_maintenance.dryrun.plan_report import moved_twice
from rolling_maintenance.planner.model.instance_moves import moved_twice_allowed
from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.offline.bench_clouds import SCENARIOS, bench_cloud
from rolling_maintenance.planner.offline.lower_bound import bounds_s
from rolling_maintenance.planner.offline.proven_bound import DEFAULT_TIME_LIMIT_S, proven_bound
from rolling_maintenance.planner.offline.rounds import Refused, plan_rounds
from rolling_maintenance.planner.placement.serial_witness import serial_witness
from rolling_maintenance.planner.offline.uneven_clouds import UNEVEN_SCENARIOS, uneven_cloud
from rolling_maintenance.planner.schedule.duration import read_timing
from rolling_maintenance.planner.strategy.next_step import read_moved_twice_percent
from rolling_maintenance.planner.schedule.round_clock import makespan, simulate_rounds

ALL_SCENARIOS = list(SCENARIOS) + list(UNEVEN_SCENARIOS)
# The benchmark gives the solver longer than a dry run does.
BENCH_TIME_LIMIT_S = 60.0


def add_arguments(parser):
    parser.add_argument("--scenario", choices=ALL_SCENARIOS, action="append",
                        help="run only this scenario (repeatable; default: all)")
    parser.add_argument("--bound-time-limit", type=positive_seconds, default=BENCH_TIME_LIMIT_S, metavar="SECONDS",
                        help="time the solver may take to prove the bound (default: %(default)s)")
    add_moved_twice_argument(parser)
    parser.add_argument("--json", action="store_true", help="JSON lines only (the default output too)")


def _peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


def _makespan(inventory, rounds):
    snapshot = parse_snapshot(inventory)
    return makespan(simulate_rounds(rounds, snapshot, read_timing(snapshot.raw.get("timing"))))


def _ratio(top, bottom):
    return round(top / bottom, 3) if top is not None and bottom else None


def _rounded(value, digits=1):
    return None if value is None else round(value, digits)


def _spare(inventory):
    """The share of vcpus and of ram left free."""
    shares = {}
    for key in ("vcpus", "ram_mb"):
        size = sum(h[key] for h in inventory["hosts"])
        shares[key] = round(1 - sum(i[key] for i in inventory["instances"]) / size, 3)
    return shares


def scenario_cloud(name):
    """`(inventory, spec)` of a scenario."""
    if name in UNEVEN_SCENARIOS:
        spec = dict(UNEVEN_SCENARIOS[name], serial=True, uneven=True)
        return uneven_cloud(spec["hosts"], spec["spare"]), spec
    spec = dict(SCENARIOS[name], uneven=False)
    return bench_cloud(spec["hosts"], spec["spare"]), spec


def _plan(inventory, spec, moved_twice_percent=None):
    """The plan's figures, or the reason it was refused."""
    started = time.process_time()
    try:
        rounds = plan_rounds(inventory, None, (), moved_twice_percent)
    except Refused as exc:
        return {"refused": str(exc)}, None
    cpu = time.process_time() - started
    instances = len(inventory["instances"])
    migrations = sum(len(one["moves"]) for one in rounds)
    serial = None
    if spec["serial"]:
        try:
            serial = _makespan(inventory, plan_rounds(inventory, 1, (), moved_twice_percent))
        except Refused:
            serial = None
    span = _makespan(inventory, rounds)
    return {
        "rounds": len(rounds),
        "largest_round": max((len(one["hosts"]) for one in rounds), default=0),
        "makespan_s": round(span, 1),
        "serial_makespan_s": _rounded(serial),
        "speedup_vs_serial": None if serial is None else round(serial / span, 2),
        "migrations": migrations,
        "migrations_per_instance": round(migrations / instances, 3),
        "instances_moved_twice": moved_twice(rounds),
        "avoidable_migrations": avoidable_migrations(inventory, rounds),
        "plan_cpu_s": round(cpu, 3),
        "plan_cpu_ms_per_1000_instances": round(cpu * 1e6 / instances, 2),
    }, span


def run_scenario(name, bound_time_limit_s=DEFAULT_TIME_LIMIT_S, moved_twice_percent=None):
    """One scenario's figures as a dict."""
    inventory, spec = scenario_cloud(name)
    figures = {"scenario": name, "hosts": spec["hosts"], "instances": len(inventory["instances"]),
               "spare": _spare(inventory), "max_moved_twice_percent": read_moved_twice_percent(moved_twice_percent)}
    plan, span = _plan(inventory, spec, moved_twice_percent)
    figures.update(plan)
    figures["peak_rss_mb"] = _peak_rss_mb()
    facts = bounds_s(inventory)
    started = time.process_time()
    most_twice = moved_twice_allowed(parse_snapshot(inventory), [h["name"] for h in inventory["hosts"]],
                                     figures["max_moved_twice_percent"])
    proven = proven_bound(inventory, (), bound_time_limit_s, facts, most_twice)
    limited = proven["moved_twice_limited"]
    figures.update({
        "proven_bound_s": _rounded(proven["seconds"]),
        "makespan_over_proven_bound": _ratio(span, proven["seconds"]),
        "bound_source": proven["source"],
        "bound_set_by": proven["set_by"],
        "hosts_empty_at_once": proven["hosts_empty_at_once"],
        "hosts_empty_at_once_source": proven["hosts_empty_at_once_source"],
        "bound_rounds": proven["rounds"],
        "bound_rounds_at_least": proven["rounds_at_least"],
        "moved_twice_limited_bound_s": _rounded(limited["seconds"]),
        "moved_twice_limited_rounds_at_least": limited["rounds_at_least"],
        "moved_twice_limited_source": limited["source"],
        "moved_twice_limited_bound_applies": plan.get("instances_moved_twice", most_twice + 1) <= most_twice,
        "makespan_over_moved_twice_limited_bound": _ratio(span, limited["seconds"]),
        "bound_cpu_s": round(time.process_time() - started, 2),
        "lower_bound_s": _rounded(facts["rounds"]),
        "makespan_over_lower_bound": _ratio(span, facts["rounds"]),
        "any_order_bound_s": _rounded(facts["any_order"]),
        "makespan_over_any_order_bound": _ratio(span, facts["any_order"]),
    })
    if spec["uneven"]:
        left = serial_witness(parse_snapshot(inventory), [h["name"] for h in inventory["hosts"]])[1]
        figures["feasible_by_serial_witness"] = not left
    figures["peak_rss_with_bound_mb"] = _peak_rss_mb()
    return figures


def run(args, out=None):
    """Each scenario in a process of its own, so its peak RSS is its own."""
    out = out or sys.stdout
    context = multiprocessing.get_context("fork")
    for name in args.scenario or ALL_SCENARIOS:
        with context.Pool(1) as pool:
            figures = pool.apply(run_scenario, (name, args.bound_time_limit, args.max_moved_twice_percent))
        print(json.dumps(figures, sort_keys=False), file=out, flush=True)
    return 0
