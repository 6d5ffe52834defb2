"""`rolling-maintenance plan`: the plan of a session, without changing anything.

Reads an inventory file, or a live cloud with `--cloud` (Nova plus the
constraints the projects registered, as a session reads it: `live_cloud`),
and prints the rounds, every move, the predicted times, the lower bounds and the bound
proved by a solver. A cloud that
cannot be maintained (an instance that fits nowhere, a group that can never
be impacted, a plan that needs scale-in) is refused with the reason and exit
code 2, never planned wrongly.
"""

import json
import sys

from rolling_maintenance.cloud.errors import CloudError
from rolling_maintenance.dryrun import live_cloud
from rolling_maintenance.dryrun.inventory_file import InventoryError, load_inventory
from rolling_maintenance.dryrun.plan_report import plan_report, plan_text, timed_rounds
from rolling_maintenance.dryrun.timeline_svg import timeline_svg
from rolling_maintenance.planner.model.errors import InvalidInput
from rolling_maintenance.planner.offline.proven_bound import DEFAULT_TIME_LIMIT_S
from rolling_maintenance.planner.offline.rounds import Refused
from rolling_maintenance.workflow.session_input import DEFAULTS as SESSION_DEFAULTS

REFUSED = 2


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError("must be a positive integer, got %r" % text)
    return value


def positive_seconds(text):
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ValueError("must be a positive number of seconds, got %r" % text)
    return value


def percent(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 100:
        raise ValueError("must be an integer from 0 to 100, got %r" % text)
    return value


def host_names(text):
    """`--hosts`: comma-separated host names, as the session input `hosts`."""
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise ValueError("must be host names separated by commas, got %r" % text)
    return names


def add_moved_twice_argument(parser):
    parser.add_argument("--max-moved-twice-percent", type=percent, default=None, metavar="PERCENT",
                        help="at most this share of the instances move twice (default: the session's, %d)"
                        % SESSION_DEFAULTS["max_moved_twice_percent"])


def add_arguments(parser):
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--inventory", metavar="FILE", help="inventory file (JSON or YAML)")
    source.add_argument("--cloud", metavar="NAME", help="read the inventory from this configured cloud "
                        "and the constraints its projects registered from Mistral")
    live_cloud.add_arguments(parser)
    parser.add_argument("--max-parallel-hosts", type=positive_int, default=None, metavar="N",
                        help="at most N hosts per round (default: as many as the constraints allow)")
    parser.add_argument("--hosts", type=host_names, default=[], metavar="NAME[,NAME...]",
                        help="maintain only these hosts, as the session input `hosts` (default: every host)")
    add_moved_twice_argument(parser)
    parser.add_argument("--bound-time-limit", type=positive_seconds, default=DEFAULT_TIME_LIMIT_S,
                        metavar="SECONDS", help="time the solver may take to prove the bound (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument("--timeline", metavar="FILE.svg", help="also draw the plan as an SVG Gantt chart")


def argument_problem(args):
    """What is wrong with the options together, or None."""
    if args.inventory:
        given = [option for option in live_cloud.MISTRAL_OPTIONS if getattr(args, option)]
        if given:
            return "--%s is for --cloud: an inventory file holds its constraints" \
                % given[0].replace("_", "-")
        return None
    return live_cloud.argument_problem(args)


def read_source(args):
    """The inventory from `--inventory` or `--cloud`."""
    if args.inventory:
        return load_inventory(args.inventory)
    return live_cloud.read_live_cloud(args)


def constraints_record(inventory):
    """Which constraints the plan rests on: what `inventory --cloud` or
    `--cloud` recorded, else those the inventory file gives."""
    return inventory.get("constraints") or {"source": "inventory"}


def run(args, out=None, err=None):
    out = out or sys.stdout
    err = err or sys.stderr
    problem = argument_problem(args)
    if problem:
        print("error: %s" % problem, file=err)
        return REFUSED
    try:
        inventory = read_source(args)
        report = plan_report(inventory, args.max_parallel_hosts, args.hosts,
                             bound_time_limit_s=args.bound_time_limit,
                             max_moved_twice_percent=args.max_moved_twice_percent)
    except (InventoryError, InvalidInput, Refused) as exc:
        print("refused: %s" % exc, file=err)
        return REFUSED
    except CloudError as exc:
        print("cannot read the cloud: %s" % exc, file=err)
        return 1
    except live_cloud.ConstraintsUnreadable as exc:
        print(exc, file=err)
        return 1
    report["constraints"] = constraints_record(inventory)
    if args.timeline:
        rounds = [{"hosts": r["hosts"], "moves": r["moves"]} for r in report["rounds"]]
        with open(args.timeline, "w", encoding="utf-8") as handle:
            handle.write(timeline_svg(rounds, timed_rounds(inventory, rounds)))
    if args.json:
        print(json.dumps(report, sort_keys=True), file=out)
    else:
        print(plan_text(report), file=out)
        print(live_cloud.constraints_line(report["constraints"]), file=out)
    return 0
