"""`rolling-maintenance`: the project's command line."""

import argparse
import importlib
import sys
import warnings


SUBCOMMANDS = (
    ("demo", "rolling_maintenance.demo.run", "maintain a simulated cloud on the embedded Mistral"),
    ("status", "rolling_maintenance.status", "show a session's progress from Mistral's API"),
    ("continue", "rolling_maintenance.session_control", "continue a failed session after fixing the cause"),
    ("plan", "rolling_maintenance.dryrun.plan_cli", "print the plan of a session without changing anything"),
    ("inventory", "rolling_maintenance.dryrun.inventory_cli", "write a live cloud's inventory for `plan`"),
    ("bench", "rolling_maintenance.dryrun.bench_cli", "benchmark the parallel planner on seeded clouds"),
    ("crashtest", "rolling_maintenance.crashtest.cli", "kill Mistral and cut services during sessions, judge the resumed sessions"),
)


class _Parser(argparse.ArgumentParser):
    """A bad argument is one line on stderr and exit code 2, not the usage text."""

    def error(self, message):
        self.exit(2, "%s: error: %s (see --help)\n" % (self.prog, message))


def build_parser():
    """One subcommand per module; each module has `add_arguments(parser)` and `run(args)`."""
    parser = _Parser(prog="rolling-maintenance", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, module_name, help_text in SUBCOMMANDS:
        module = importlib.import_module(module_name)
        command = commands.add_parser(name, help=help_text)
        module.add_arguments(command)
        command.set_defaults(handler=module.run)
    return parser


def main(argv=None):
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
