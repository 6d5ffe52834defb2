"""`rolling-maintenance crashtest`: kill the embedded Mistral at named and
random moments of maintenance sessions on the simulated cloud, take the
cloud API and the reply API away for a while, and judge each resumed session
from the simulator's event log."""

import json
import os
import sys
import traceback

from rolling_maintenance.crashtest import points, runner, table


def add_arguments(parser):
    parser.add_argument("--points", default=",".join(p.name for p in points.NAMED),
                        help="named kill points, comma separated, or 'none' (default: all of %s)"
                             % ", ".join(p.name for p in points.NAMED))
    parser.add_argument("--random", type=int, default=0, metavar="N", help="also N kills at random moments")
    parser.add_argument("--random-window", type=float, default=40.0, metavar="S",
                        help="random kills fall in the first S seconds of a session (default 40)")
    parser.add_argument("--outages", action="store_true",
                        help="also a cloud API outage and a reply API outage of --outage seconds")
    parser.add_argument("--outage", type=float, default=30.0, metavar="S", help="outage length (default 30)")
    parser.add_argument("--hosts", type=int, default=5, help="compute hosts of the simulated cloud (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the cloud and the random moments (default 1)")
    parser.add_argument("--speed", type=float, default=40.0,
                        help="simulated seconds per real second (default 40)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of the table")
    parser.add_argument("--workdir", help="where each run keeps its Mistral database and log (default: /tmp)")


def selected_points(args):
    """The points to run, in order; a bad name is refused naming it."""
    names = [] if args.points in ("", "none") else [n.strip() for n in args.points.split(",")]
    unknown = [n for n in names if n not in points.BY_NAME]
    if unknown:
        raise ValueError("unknown kill point %s (known: %s)" % (", ".join(unknown), ", ".join(points.BY_NAME)))
    chosen = [points.BY_NAME[n]() for n in names]
    chosen += points.random_points(args.random, args.random_window, args.seed)
    if args.outages:
        chosen += [cls() for cls in points.OUTAGES]
    return chosen


def run(args, out=None):
    out = out or sys.stdout
    if args.random < 0 or args.random_window <= 1 or args.outage <= 0 or args.speed <= 0 or args.hosts < 3:
        print("crashtest: --random must be >= 0, --random-window > 1, --outage and --speed > 0, "
              "--hosts >= 3", file=sys.stderr)
        return 2
    if args.workdir and not os.path.isdir(args.workdir):
        print("crashtest: --workdir %s is not a directory" % args.workdir, file=sys.stderr)
        return 2
    try:
        chosen = selected_points(args)
    except ValueError as exc:
        print("crashtest: %s" % exc, file=sys.stderr)
        return 2
    options = runner.Options(hosts=args.hosts, seed=args.seed, speed=args.speed, outage_s=args.outage,
                             workdir=args.workdir)
    rows = []
    with runner.Bench(options) as bench:
        for point in chosen:
            try:
                rows.append(runner.run_point(point, bench, report=lambda line: print(line, file=sys.stderr)))
            except Exception as exc:  # one broken run must not hide the others' rows
                traceback.print_exc()
                rows.append({"point": point.name, "outcome": "HARNESS_ERROR", "reason": str(exc)})
    if args.json:
        json.dump(rows, out, indent=2, sort_keys=True)
        out.write("\n")
    else:
        print(table.format_table(rows), file=out)
    return 0 if all(table.passed(row) for row in rows) else 1
