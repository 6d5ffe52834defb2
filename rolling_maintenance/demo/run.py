"""`rolling-maintenance demo`: maintain a host of a simulated cloud with Mistral.

Builds a small cloud in the simulator, starts the embedded Mistral, creates an
execution of `maintenance.maintain_one_host` exactly as an admin would, shows
its progress, checks the outcome in the simulator's event log, and prints one
line of JSON.
"""

import json
import sys
import time

from rolling_maintenance.demo import environment, progress, verify
from rolling_maintenance.sim import generate

WORKFLOW = "maintenance.maintain_one_host"


def add_arguments(parser):
    parser.add_argument("--hosts", type=int, default=4, help="compute hosts (default 4)")
    parser.add_argument("--instances-per-host", type=int, default=2, help="instances per host (default 2)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated cloud (default 1)")
    parser.add_argument("--speed", type=float, default=20.0, help="simulated seconds per real second (default 20)")


def run(args, out=sys.stdout):
    started = time.monotonic()

    def say(line):
        print(line, file=out, flush=True)

    inventory = generate.generate_inventory(
        hosts=args.hosts, instances_per_host=args.instances_per_host, seed=args.seed)
    say("Simulated cloud: %d hosts, %d instances; starting the embedded Mistral..." % (
        len(inventory["hosts"]), len(inventory["instances"])))
    with environment.DemoEnvironment(inventory, speed=args.speed) as env:
        host = verify.busiest_host(env.sim.state())
        client = env.mistral.client()
        execution = client.executions.create(WORKFLOW, workflow_input={"host": host})
        say("Execution %s of %s on %s" % (execution.id, WORKFLOW, host))
        final = progress.follow_execution(client, execution.id, say)
        outcome = verify.one_host_maintained(env.sim.events(), env.sim.state(), host)
    summary = {
        "session_id": final.id,
        "state": final.state,
        "host": host,
        "migrations": outcome["migrations"],
        "problems": outcome["problems"],
        "wall_s": round(time.monotonic() - started, 1),
    }
    print(json.dumps(summary), file=out, flush=True)
    return 0 if final.state == "SUCCESS" and not outcome["problems"] else 1
