"""`rolling-maintenance inventory`: a live cloud's inventory, for `plan --inventory`.

It holds what a session plans from: Nova's snapshot with the constraints the
projects registered (see `live_cloud`), so `plan --inventory` of the file
gives the plan `plan --cloud` gives.
"""

import sys

from rolling_maintenance.dryrun import live_cloud
from rolling_maintenance.dryrun.inventory_file import dump_inventory


def add_arguments(parser):
    parser.add_argument("--cloud", metavar="NAME", help="configured cloud (default: the environment's)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    live_cloud.add_arguments(parser)


def run(args, out=None, err=None):
    from rolling_maintenance import cloud

    err = err or sys.stderr
    problem = live_cloud.argument_problem(args)
    if problem:
        print("error: %s" % problem, file=err)
        return 2
    try:
        inventory = live_cloud.read_live_cloud(args)
    except cloud.CloudError as exc:
        print("cannot read the cloud: %s" % exc, file=err)
        return 1
    except live_cloud.ConstraintsUnreadable as exc:
        print(exc, file=err)
        return 1
    print(live_cloud.constraints_line(inventory["constraints"]), file=err)
    text = dump_inventory(inventory, args.output)
    if not args.output:
        (out or sys.stdout).write(text)
    return 0
