"""`rolling-maintenance`: the project's command line."""

import argparse
import sys
import warnings


def build_parser():
    from rolling_maintenance import session_control, status
    from rolling_maintenance.demo import run as demo_run

    parser = argparse.ArgumentParser(prog="rolling-maintenance", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="maintain a simulated cloud on the embedded Mistral")
    demo_run.add_arguments(demo)
    demo.set_defaults(handler=demo_run.run)
    show = commands.add_parser("status", help="show a session's progress from Mistral's API")
    status.add_arguments(show)
    show.set_defaults(handler=status.run)
    resume = commands.add_parser("continue", help="continue a failed session after fixing the cause")
    session_control.add_arguments(resume)
    resume.set_defaults(handler=session_control.run)
    from rolling_maintenance.dryrun import bench_cli, inventory_cli, plan_cli

    plan = commands.add_parser("plan", help="print the plan of a session without changing anything")
    plan_cli.add_arguments(plan)
    plan.set_defaults(handler=plan_cli.run)
    inventory = commands.add_parser("inventory", help="write a live cloud's inventory for `plan`")
    inventory_cli.add_arguments(inventory)
    inventory.set_defaults(handler=inventory_cli.run)
    bench = commands.add_parser("bench", help="benchmark the parallel planner on seeded clouds")
    bench_cli.add_arguments(bench)
    bench.set_defaults(handler=bench_cli.run)
    return parser


def main(argv=None):
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
