"""`rolling-maintenance inventory`: a live cloud's inventory, for `plan --inventory`."""

import sys

from rolling_maintenance.dryrun.inventory_file import dump_inventory


def add_arguments(parser):
    parser.add_argument("--cloud", metavar="NAME", help="configured cloud (default: the environment's)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")


def run(args, out=None):
    from rolling_maintenance import cloud

    try:
        inventory = cloud.snapshot(cloud.connect(cloud=args.cloud))
    except cloud.CloudError as exc:
        print("cannot read the cloud: %s" % exc, file=sys.stderr)
        return 1
    text = dump_inventory(inventory, args.output)
    if not args.output:
        (out or sys.stdout).write(text)
    return 0
