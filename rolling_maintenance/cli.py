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
    return parser


def main(argv=None):
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
