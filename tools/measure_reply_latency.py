"""Measure the time from a VNFM's reply to the next cloud call it unblocks.

Runs a rolling maintenance of the demo cloud and, for every PLANNED or
PREPARE_MAINTENANCE round, takes the last project's accepted reply and the
first migration the simulator saw after it. Prints one JSON line with the
median and the maximum in real seconds, and the demo's wall time.

With `--finished-sessions 1 200` it measures instead what one reply costs
the reply API as Mistral's database fills: on an embedded Mistral, sessions
that ask two projects a question and are answered are run to the end until
the database holds each number of finished sessions; then a new session is
asked, and the time of the accepted reply, of its repeat and of the
instance list GET are taken over the reply API's HTTP (one JSON line each).
The questions go out as the product sends them: Aodh webhooks of the
simulated cloud, to a receiver that only accepts them.
"""

import argparse
import json
import os
import statistics
import tempfile
import time
import urllib.error
import urllib.request

import openstack
from aodhclient import client as aodh_client

from rolling_maintenance.audit.events import MIGRATION_STARTED
from rolling_maintenance.demo import scenarios, session
from rolling_maintenance.embedded import stack
from rolling_maintenance.sim import ScaledClock, Simulator
from rolling_maintenance.wsgi_server import BackgroundServer

PROJECTS = ("p-1", "p-2")
ASK_WORKFLOW = """
version: '2.0'
reply_latency_ask:
  tasks:
    ask:
      with-items: project in %s
      action: maintenance.ask_project
      input:
        session_id: <%% execution().id %%>
        project_id: <%% $.project %%>
        state: PLANNED_MAINTENANCE
        instance_ids: [vm-1]
        reply_window_s: 600
""" % json.dumps(list(PROJECTS))
REPLY = {"state": "ACK_PLANNED_MAINTENANCE", "instance_actions": {"vm-1": "MIGRATE"}}
INVENTORY = {
    "hosts": [{"name": "compute-0", "vcpus": 8, "ram_mb": 16384}],
    "projects": [{"id": project, "name": project} for project in PROJECTS],
    "instances": [{"id": "vm-1", "project_id": PROJECTS[0], "host": "compute-0", "vcpus": 1,
                   "ram_mb": 512}],
}

MOVE_STATES = ("ACK_PLANNED_MAINTENANCE", "ACK_PREPARE_MAINTENANCE")


def reply_to_migration_gaps(vnfms, events):
    """Simulated seconds from each round's last reply to its first migration."""
    replies = sorted(r["t"] for v in vnfms for r in v.replies
                     if r.get("status") == 200 and r.get("state") in MOVE_STATES)
    starts = sorted(e["t"] for e in events if e["type"] == MIGRATION_STARTED)
    gaps = []
    for index, t in enumerate(replies):
        following = next((s for s in starts if s >= t), None)
        next_reply = replies[index + 1] if index + 1 < len(replies) else None
        if following is None or (next_reply is not None and next_reply <= following):
            continue  # not the last reply of its round
        gaps.append(following - t)
    return gaps


def _http(method, url, body=None):
    """One JSON request past any proxy: `(status, seconds)`."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    return status, time.perf_counter() - started


def _wait(what, check, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise SystemExit("measure_reply_latency: %s did not happen in %d s" % (what, timeout))


class AskedSessions:
    """Sessions of `reply_latency_ask` on an embedded Mistral, answered through the reply API."""

    def __init__(self, mistral):
        self.client = mistral.client()
        self.api_url = mistral.reply_api_url
        self.client.workflows.create(ASK_WORKFLOW)
        self.finished = 0

    def url(self, session_id, project_id):
        return "%s/v1/maintenance/%s/%s" % (self.api_url, session_id, project_id)

    def asked(self, count):
        """Start `count` sessions; return their ids once every project was asked."""
        ids = [self.client.executions.create("reply_latency_ask").id for _ in range(count)]
        for session_id in ids:
            for project in PROJECTS:
                url = self.url(session_id, project)
                _wait("the question to %s" % project, lambda url=url: _http("GET", url)[0] == 200)
        return ids

    def finish(self, ids):
        for session_id in ids:
            for project in PROJECTS:
                status, _ = _http("PUT", self.url(session_id, project), REPLY)
                if status != 200:
                    raise SystemExit("measure_reply_latency: reply answered %d" % status)
        self._wait_done(ids)

    def _wait_done(self, ids):
        for session_id in ids:
            _wait("the end of session %s" % session_id,
                  lambda sid=session_id: self.client.executions.get(sid).state == "SUCCESS")
        self.finished += len(ids)

    def fill_to(self, count, batch=5):
        while self.finished < count:
            self.finish(self.asked(min(batch, count - self.finished)))

    def measure(self, rounds=10):
        """Median and least seconds of an accepted reply, its repeat and a GET, over
        `rounds` sessions (the least is what the work costs on a busy machine)."""
        times = {"reply_s": [], "repeat_s": [], "get_s": []}
        for _ in range(rounds):
            [session_id] = self.asked(1)
            for project in PROJECTS:
                url = self.url(session_id, project)
                for key, method, body in (("get_s", "GET", None), ("reply_s", "PUT", REPLY),
                                          ("repeat_s", "PUT", REPLY)):
                    status, seconds = _http(method, url, body)
                    if status != 200:
                        raise SystemExit("measure_reply_latency: %s answered %d" % (method, status))
                    times[key].append(seconds)
            self._wait_done([session_id])
        figures = {}
        for key, values in times.items():
            figures[key] = round(statistics.median(values), 4)
            figures[key.replace("_s", "_min_s")] = round(min(values), 4)
        return figures


def _accept(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Length", "0")])
    return [b""]


def measure_database_growth(counts):
    """One JSON line per number of finished sessions in Mistral's database."""
    workdir = tempfile.mkdtemp(prefix="rm-reply-latency-")
    sim = Simulator.from_inventory(INVENTORY, clock=ScaledClock(speed=50))
    receiver = BackgroundServer(_accept, name="webhook-receiver")
    sim.start()
    receiver.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "ROLLING_MAINTENANCE_"))}
    env.update(OS_CLIENT_CONFIG_FILE=sim.clouds_yaml(os.path.join(workdir, "clouds.yaml")),
               OS_CLOUD="sim-admin", ROLLING_MAINTENANCE_NOTIFY_DRIVER="webhook")
    try:
        for project in PROJECTS:
            connection = openstack.connect(load_yaml_config=False, load_envvars=False,
                                           **sim.project_credentials(project))
            aodh_client.Client("2", session=connection.session, interface="public",
                               region_name="RegionOne").alarm.create({
                                   "name": "vnfm", "type": "event", "repeat_actions": True,
                                   "event_rule": {"event_type": "maintenance.scheduled",
                                                  "query": []},
                                   "alarm_actions": [receiver.url + "/maintenance"]})
        with stack.EmbeddedMistral(workdir, env=env) as mistral:
            sessions = AskedSessions(mistral)
            for count in sorted(counts):
                sessions.fill_to(count)
                finished = sessions.finished
                print(json.dumps(dict({"finished_sessions": finished}, **sessions.measure())),
                      flush=True)
    finally:
        receiver.stop()
        sim.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--speed", type=float, default=200.0)
    parser.add_argument("--finished-sessions", type=int, nargs="+", metavar="N",
                        help="measure one reply with N finished sessions in Mistral's database")
    args = parser.parse_args()
    if args.finished_sessions:
        measure_database_growth(args.finished_sessions)
        return
    started = time.monotonic()
    inventory = scenarios.two_sizes(hosts=args.hosts, seed=args.seed)
    with session.SessionRun(inventory, speed=args.speed) as run:
        session_id = run.create({"actions": session.HOST_PLUGINS})
        run.wait(session_id)
        gaps = reply_to_migration_gaps(run.vnfms.values(), run.env.sim.events())
        state = run.verdict(session_id)["state"]
    real = [g / args.speed for g in gaps]
    print(json.dumps({
        "state": state,
        "rounds": len(real),
        "reply_to_migration_median_s": round(statistics.median(real), 3) if real else None,
        "reply_to_migration_max_s": round(max(real), 3) if real else None,
        "wall_s": round(time.monotonic() - started, 1),
    }))


if __name__ == "__main__":
    main()
