"""`rolling-maintenance demo`: a whole rolling maintenance of a simulated cloud.

Builds a cloud of computes of two sizes with two projects, each run by a
sample VNFM (an ACT-STDBY pair plus non-redundant instances), starts the
embedded Mistral and the reply API, creates a `maintenance.rolling` session
the way an admin does, shows its progress, judges it from the simulator's
event log, and ends with one line of JSON.
"""

import argparse
import json
import sys

from rolling_maintenance import embedded
from rolling_maintenance.demo import scenarios, session


def _integer_from(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError("must be an integer >= %d, got %r" % (minimum, text))
        return value
    return parse


def _positive_number(text):
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number, got %r" % text)
    return value


def add_arguments(parser):
    parser.add_argument("--hosts", type=_integer_from(scenarios.MIN_HOSTS), default=8,
                        help="compute hosts, at least %d (default 8)" % scenarios.MIN_HOSTS)
    parser.add_argument("--seed", type=_integer_from(0), default=3, help="seed of the generated cloud (default 3)")
    parser.add_argument("--speed", type=_positive_number, default=200.0,
                        help="simulated seconds per real second (default 200)")


def run(args, out=sys.stdout):
    problem = embedded.missing_mistral()
    if problem:
        print("demo: %s" % problem, file=sys.stderr)
        return 2

    def say(line):
        print(line, file=out, flush=True)

    inventory = scenarios.two_sizes(hosts=args.hosts, seed=args.seed)
    session_input = {"actions": session.HOST_PLUGINS, "metadata": {"openstack_version": "2026.2"},
                     "project_maintenance_reply": 60, "project_scale_in_reply": 60}
    summary, verdict = session.run_demo(inventory, session_input, args.speed, say)
    if verdict["judged"]["violations"]:
        say("Violations: %s" % "; ".join(verdict["judged"]["violations"]))
    print(json.dumps(summary), file=out, flush=True)
    ok = (summary["state"] == "MAINTENANCE_DONE" and summary["hosts_maintained"] == summary["hosts_total"]
          and summary["moves_off_maintained_hosts"] == 0 and summary["downtime_s"] == 0
          and not verdict["judged"]["violations"])
    return 0 if ok else 1
