"""`rolling-maintenance-vnfm`: run the sample application manager of one project.

It logs in as the project's member user (a cloud of clouds.yaml), subscribes
to the maintenance event type, adopts the project's instances or deploys new
ones, prints the webhook URL on the first line of its output, and answers
notifications until SIGTERM or SIGINT.
"""

import argparse
import logging
import signal
import sys
import threading
import warnings

from rolling_maintenance.vnfm import constraints as vnf_constraints
from rolling_maintenance.vnfm import replies
from rolling_maintenance.vnfm.manager import BEHAVIOURS, DEFAULT_EVENT_TYPE, SampleVnfm
from rolling_maintenance.vnfm.reply_client import ReplyApiError, ReplyClient
from rolling_maintenance.vnfm.tenant_cloud import TenantCloud, TenantCloudError
from rolling_maintenance.workflow import contract


def build_parser():
    parser = argparse.ArgumentParser(prog="rolling-maintenance-vnfm",
                                     description="Run the sample application manager of one project.")
    parser.add_argument("--cloud", required=True, help="cloud name in clouds.yaml (e.g. sim-<project id>)")
    parser.add_argument("--clouds-yaml", help="clouds.yaml to read (default: the usual places)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default 0: any free port)")
    parser.add_argument("--event-type", default=DEFAULT_EVENT_TYPE,
                        help="event type to subscribe to (default %s)" % DEFAULT_EVENT_TYPE)
    parser.add_argument("--deploy", type=int, metavar="N",
                        help="deploy a new application with N non-redundant instances "
                             "instead of adopting the project's instances")
    parser.add_argument("--flavor", default="m1.tiny", help="flavor of deployed instances (default m1.tiny)")
    parser.add_argument("--image", help="image id of deployed instances (Nova needs one to boot)")
    parser.add_argument("--network", help="network id deployed and scaled-out instances are "
                        "plugged in (default: the one network the project sees)")
    parser.add_argument("--behaviour", choices=BEHAVIOURS, default="ack",
                        help="ack (default), nack (refuse) or silent (never reply)")
    parser.add_argument("--nack-state", choices=replies.REPLIED_STATES,
                        help="with --behaviour nack: the one state to refuse (default: all)")
    parser.add_argument("--migration-type", choices=replies.MIGRATION_ACTIONS, default=contract.LIVE_MIGRATE,
                        help="instance action asked for (default LIVE_MIGRATE)")
    parser.add_argument("--own-action", action="store_true",
                        help="re-create non-redundant instances itself instead of having them migrated")
    parser.add_argument("--retry-delay", type=float, default=3.0,
                        help="seconds between attempts of a failed reply (default 3)")
    parser.add_argument("--constraints-url",
                        help="constraints API (the reply API's base URL) to register the "
                             "application's constraints with before any session (default: the "
                             "catalog's service type maintenance, when it lists one)")
    parser.add_argument("--no-constraints", action="store_true",
                        help="register no constraints, even when the catalog lists the API")
    parser.add_argument("--recovery-time", type=int, default=vnf_constraints.DEFAULT_RECOVERY_TIME,
                        help="seconds the pair needs after losing a member (default %d)"
                             % vnf_constraints.DEFAULT_RECOVERY_TIME)
    parser.add_argument("--keep-alarm", action="store_true",
                        help="leave the event alarm in place on exit")
    parser.add_argument("--debug", action="store_true", help="log every step")
    return parser


def main(argv=None):
    """Run until SIGTERM or SIGINT; exit status 1 when the cloud refuses us."""
    warnings.filterwarnings("ignore", module="openstack")
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.deploy is not None and args.deploy < 0:
        print("--deploy must be >= 0, got %d" % args.deploy, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return _run(args)
    except ReplyApiError as exc:
        print("rolling-maintenance-vnfm: the constraints API refused: %s" % exc, file=sys.stderr)
        return 1
    except TenantCloudError as exc:
        print("rolling-maintenance-vnfm: %s" % exc, file=sys.stderr)
        return 1


def _constraints_url(args, cloud):
    if args.no_constraints:
        return None
    return args.constraints_url or cloud.maintenance_url()


def _run(args):
    cloud = TenantCloud.from_clouds_yaml(args.cloud, args.clouds_yaml)
    vnfm = SampleVnfm(
        cloud, event_type=args.event_type, behaviour=args.behaviour,
        nack_state=args.nack_state, migration_type=args.migration_type,
        own_action=args.own_action, host=args.host, port=args.port, network=args.network,
        reply_client=ReplyClient(retry_delay=args.retry_delay),
        constraints_url=_constraints_url(args, cloud), recovery_time=args.recovery_time)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    vnfm.start(adopt=args.deploy is None)
    try:
        if args.deploy is not None:
            vnfm.deploy(args.flavor, args.deploy, image=args.image)
            if args.constraints_url:
                vnfm.register_constraints()
        print(vnfm.url, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        vnfm.stop(remove_alarm=not args.keep_alarm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
