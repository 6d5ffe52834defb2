"""A whole maintenance session on the simulated cloud: Mistral, the reply API,
one sample VNFM per project, and the verdict from the simulator's event log."""

import json
import time

from rolling_maintenance import audit
from rolling_maintenance.demo import environment, progress
from rolling_maintenance.vnfm.manager import SampleVnfm
from rolling_maintenance.workflow import contract

# The sample plug-ins for the simulator, one of each kind: an action and a workflow.
HOST_PLUGINS = [
    {"plugin": "maintenance_samples.sim_host_work", "type": "host",
     "metadata": {"label": "firmware", "duration_s": 20}},
    {"plugin": "maintenance_samples.sim_host_upgrade", "type": "host",
     "metadata": {"label": "upgrade", "duration_s": 40}},
]


class SessionRun:
    """Start everything, run sessions, judge them, stop everything."""

    def __init__(self, inventory, speed=50.0, workdir=None, vnfm_options=None, reply_api_port=0, env=None):
        """`env`: a `DemoEnvironment` of `inventory` to run in (default: a new one)."""
        self.inventory = inventory
        self.env = env or environment.DemoEnvironment(inventory, speed=speed, workdir=workdir,
                                                      reply_api_port=reply_api_port)
        self.vnfm_options = vnfm_options or {}
        self.vnfms = {}
        self.initial_state = None

    def start(self):
        self.env.start()
        try:
            self.initial_state = self.env.sim.state()
            for project in sorted({i["project_id"] for i in self.inventory["instances"]}):
                options = self.vnfm_options.get(project, {})
                if options is None:
                    continue
                options = dict({"constraints_url": self.env.mistral.reply_api_url}, **options)
                # The role log is judged against the simulator's event log: same clock.
                options.setdefault("clock", self.env.sim.clock.now)
                vnfm = SampleVnfm.from_credentials(self.env.sim.project_credentials(project), **options)
                self.vnfms[project] = vnfm.start()
        except Exception:
            self.stop()
            raise
        return self

    def stop(self):
        for vnfm in self.vnfms.values():
            vnfm.stop()
        self.env.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def client(self):
        return self.env.mistral.client()

    def create(self, session_input):
        execution = self.client.executions.create(contract.ROLLING, workflow_input=session_input)
        return execution.id

    def wait(self, session_id, report=lambda line: None, timeout=600):
        return progress.follow_execution(self.client, session_id, report, timeout=timeout)

    def verdict(self, session_id, hosts=None):
        """What happened, judged from the event log and what the VNFMs saw."""
        execution = self.client.executions.get(session_id)
        output = json.loads(execution.output or "{}")
        events = self.env.sim.events()
        hosts = hosts or [h["name"] for h in self.inventory["hosts"]]
        judged = audit.session_verdict(self.initial_state, events, hosts)
        end_t = self.env.sim.clock.now()
        downtime = {p: audit.downtime(self.initial_state, events, v.role_log, end_t)
                    for p, v in self.vnfms.items()}
        return {
            "session_id": session_id,
            "execution_state": execution.state,
            "state": output.get("state") or ("MAINTENANCE_FAILED" if execution.state == "ERROR" else None),
            "reason": output.get("reason") or execution.state_info,
            "hosts_maintained": sum(1 for c in judged["maintained_count"].values() if c >= 1),
            "hosts_total": len(hosts),
            "migrations": judged["migrations"],
            "prepare_migrations": judged["prepare_migrations"],
            "moves_off_maintained_hosts": judged["moves_off_maintained_hosts"],
            "downtime_s": round(sum(downtime.values()), 3),
            "judged": judged,
            "downtime_by_project": downtime,
            "states_by_project": {p: v.states() for p, v in self.vnfms.items()},
        }


def run_demo(inventory, session_input, speed, report):
    """The demo: one session, its progress, and the summary line."""
    started = time.monotonic()
    with SessionRun(inventory, speed=speed) as run:
        report("Simulated cloud: %d hosts, %d instances, %d projects with a sample VNFM each" % (
            len(inventory["hosts"]), len(inventory["instances"]), len(run.vnfms)))
        session_id = run.create(session_input)
        report("Session %s (mistral execution-get %s)" % (session_id, session_id))
        progress.follow_session(run.client, session_id, report)
        verdict = run.verdict(session_id)
    summary = {key: verdict[key] for key in (
        "session_id", "state", "hosts_maintained", "hosts_total", "migrations",
        "prepare_migrations", "moves_off_maintained_hosts", "downtime_s")}
    summary["wall_s"] = round(time.monotonic() - started, 1)
    return summary, verdict
