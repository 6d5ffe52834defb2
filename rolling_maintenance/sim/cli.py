"""`rolling-maintenance-sim`: serve a simulated cloud until interrupted.

Prints the base URL and the OS_* variables of the admin, so the OpenStack
CLI, openstacksdk or the maintenance workflows can be pointed at it.
"""

import argparse
import json
import signal
import sys

import yaml

from rolling_maintenance.sim import ScaledClock, Simulator, generate
from rolling_maintenance.sim.inventory import InventoryError


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="rolling-maintenance-sim",
        description="Serve a simulated OpenStack cloud (Keystone, Nova, Aodh) on 127.0.0.1.")
    parser.add_argument("--inventory", metavar="FILE",
                        help="inventory as JSON or YAML (default: a generated cloud)")
    parser.add_argument("--hosts", type=int, default=4, help="generated cloud: compute hosts (4)")
    parser.add_argument("--instances-per-host", type=int, default=2,
                        help="generated cloud: instances per host (2)")
    parser.add_argument("--seed", type=int, default=1, help="generated cloud: random seed (1)")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="simulated seconds per real second (1.0)")
    parser.add_argument("--clouds-yaml", metavar="PATH", help="also write a clouds.yaml here")
    args = parser.parse_args(argv)
    if args.speed <= 0:
        parser.error("--speed must be positive")
    return args


def load_inventory(path):
    try:
        with open(path) as source:
            data = yaml.safe_load(source)
    except OSError as exc:
        raise InventoryError("cannot read inventory %s: %s" % (path, exc.strerror)) from None
    except yaml.YAMLError as exc:
        raise InventoryError("inventory %s is neither JSON nor YAML: %s" % (path, exc)) from None
    return data


def _stop(signum, frame):
    raise KeyboardInterrupt


def main(argv=None, out=sys.stdout):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.inventory:
            inventory = load_inventory(args.inventory)
        else:
            inventory = generate.generate_inventory(args.hosts, args.instances_per_host, args.seed)
        sim = Simulator.from_inventory(inventory, clock=ScaledClock(args.speed), port=args.port)
    except (InventoryError, ValueError) as exc:
        print("rolling-maintenance-sim: %s" % exc, file=sys.stderr)
        return 2
    url = sim.bind()
    creds = sim.admin_credentials()
    print("Simulated cloud at %s (speed x%g)" % (url, args.speed), file=out)
    for name, key in (("OS_AUTH_URL", "auth_url"), ("OS_USERNAME", "username"),
                      ("OS_PASSWORD", "password"), ("OS_PROJECT_NAME", "project_name"),
                      ("OS_USER_DOMAIN_NAME", "user_domain_name"),
                      ("OS_PROJECT_DOMAIN_NAME", "project_domain_name"),
                      ("OS_REGION_NAME", "region_name")):
        print("export %s=%s" % (name, creds[key]), file=out)
    print("export OS_IDENTITY_API_VERSION=3", file=out)
    if args.clouds_yaml:
        sim.clouds_yaml(args.clouds_yaml)
        print("clouds.yaml written to %s (cloud sim-admin)" % args.clouds_yaml, file=out)
    print("State: %s/_sim/state  Events: %s/_sim/events  %s" % (
        url, url, json.dumps({"hosts": len(inventory.get("hosts", [])),
                              "instances": len(inventory.get("instances", []))})), file=out)
    out.flush()
    signal.signal(signal.SIGTERM, _stop)
    try:
        sim.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
