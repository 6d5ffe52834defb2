"""The production path: Mistral's api, engine and executor as three separate
`mistral-server` processes over the machine's RabbitMQ, with PostgreSQL as
Mistral's database, and the project's reply API as a process of its own,
running the project's workbook and actions against the simulated cloud and
its sample VNFMs. Verdicts come from the simulator's event log.

Needs RabbitMQ on 127.0.0.1:5672 (guest/guest) and PostgreSQL on
127.0.0.1:5432 (user postgres, trust auth, an existing database `test`);
skipped otherwise. Each run uses its own database, exchange and topics, and
removes them at the end.
"""

import importlib.util
import json
import os
import time

import pytest

from rolling_maintenance import audit
from rolling_maintenance.demo import session
from rolling_maintenance.mistral import workbooks
from rolling_maintenance.samples import registry
from rolling_maintenance.sim import ScaledClock, Simulator

from conftest import mistral_cli, pair_inventory, wait_for_execution
from production_stack import POSTGRES, RABBIT, ProductionMistral, reachable
from test_rolling import assert_done, session_input

pytestmark = [
    pytest.mark.skipif(not reachable(RABBIT), reason="RabbitMQ is not listening on 127.0.0.1:5672"),
    pytest.mark.skipif(not reachable(POSTGRES), reason="PostgreSQL is not listening on 127.0.0.1:5432"),
    pytest.mark.skipif(importlib.util.find_spec("psycopg2") is None,
                       reason="psycopg2 is not installed (the project's `test` extra)"),
]

ADMIN_CLOUD = "sim-admin"

INVENTORY = pair_inventory(vm_d_host="compute-1")


class ProductionEnvironment:
    """The simulated cloud in this process, Mistral in three processes, the
    reply API in a fourth.

    Only the executor gets the cloud's credentials (clouds.yaml): an action
    run anywhere else would fail with "no cloud credentials". It also gets
    the reply API's and Mistral's URLs (ProductionMistral's `reply_api`).
    """

    def __init__(self, workdir):
        self.workdir = workdir
        self.sim = Simulator.from_inventory(INVENTORY, clock=ScaledClock(speed=50.0))
        self.mistral = None
        self.workbooks = None
        self.samples = None
        self.timings = {}

    def start(self):
        self.sim.start()
        try:
            clouds_yaml = self.sim.clouds_yaml(os.path.join(self.workdir, "clouds.yaml"))
            self.mistral = ProductionMistral(self.workdir, executor_env={
                "OS_CLIENT_CONFIG_FILE": clouds_yaml, "OS_CLOUD": ADMIN_CLOUD}, reply_api=True)
            self.mistral.start(when_api_ready=self.load_workbooks)
            self.timings = dict(self.mistral.timings)
        except BaseException:
            self.stop()
            raise
        return self

    def load_workbooks(self, mistral):
        """The project's workbooks, as the embedded stack loads them, and the
        sample plug-ins the rolling session uses, registered apart."""
        started = time.monotonic()
        self.workbooks = workbooks.sync_workbooks(mistral.client())
        self.samples = registry.register(mistral.client(admin=True))
        mistral.timings["workbooks"] = time.monotonic() - started

    def stop(self):
        try:
            if self.mistral:
                self.mistral.stop()
        finally:
            self.sim.stop()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    running = ProductionEnvironment(str(tmp_path_factory.mktemp("production")))
    running.start()
    print("\nproduction stack up: %s" % ", ".join(
        "%s %.1f s" % item for item in running.timings.items()))
    try:
        yield running
    finally:
        running.stop()


class LogFrom:
    """The module's simulator with its event log read from `since` on."""

    def __init__(self, sim, since):
        self._sim = sim
        self._since = since

    def events(self):
        return self._sim.events()[self._since:]

    def __getattr__(self, name):
        return getattr(self._sim, name)


class RunningStack:
    """What SessionRun uses of its environment (`sim`, `mistral`, `start`,
    `stop`), on the module's running stack: starting and stopping it is the
    module fixture's business, and the session's verdict reads the
    simulator's log from the session's start on (earlier tests of the
    module maintained hosts of the same cloud)."""

    def __init__(self, env):
        self.mistral = env.mistral
        self.sim = LogFrom(env.sim, len(env.sim.events()))

    def start(self):
        return self

    def stop(self):
        pass


class ProductionSessionRun(session.SessionRun):
    """The demo's SessionRun (sample VNFMs, verdict) on the production stack.

    SessionRun builds a DemoEnvironment, i.e. an embedded Mistral of its own,
    and has no way to be given another Mistral: this puts the module's stack
    in its place before `start()`.
    """

    def __init__(self, env, vnfm_options=None):
        # The DemoEnvironment built here is never started (no Mistral, no
        # simulator serving): it is replaced at once.
        super().__init__(INVENTORY, workdir=env.workdir, vnfm_options=vnfm_options)
        self.env = RunningStack(env)


def maintain_with_cli(env, host):
    out = mistral_cli(env, "execution-create", "maintenance.maintain_one_host",
                      json.dumps({"host": host}), "-f", "json")
    return json.loads(out)["ID"]


def assert_maintained(env, host, initial, events):
    """From the simulator's log: disabled, every instance it had moved off, enabled again."""
    outcome = audit.one_host_verdict(initial, events, host)
    assert outcome["problems"] == []
    assert outcome["migrations"] == sum(1 for s in initial["servers"] if s.get("host") == host) >= 1
    judged = audit.session_verdict(initial, events, [host])
    assert judged["problems"] == []
    assert judged["maintained_count"] == {host: 1}
    assert judged["failed_migrations"] == 0


def test_schema_from_migrations_workbooks_and_actions_loaded(env):
    # The schema came from Mistral's alembic migrations on PostgreSQL.
    assert env.mistral.database_revision()
    assert env.workbooks == {"maintenance": "created"}
    assert set(env.samples.values()) == {"created"}
    client = env.mistral.client()
    # The API process found the project's actions through the
    # `mistral.actions` entry points of the installed package; the sample
    # plug-ins' action is a dynamic action, registered through the API.
    names = {a.name for a in client.actions.list(limit=-1)}
    assert {"maintenance.disable_host", "maintenance.empty_host",
            "maintenance.enable_host", "maintenance.plan_next"} <= names
    assert set(registry.ACTIONS) <= names
    admin = env.mistral.client(admin=True)
    assert {a.name for a in admin.dynamic_actions.list()} == set(registry.ACTIONS)
    assert "maintenance.maintain_one_host" in {w.name for w in client.workflows.list()}
    pids = {c: p.pid for c, p in env.mistral.processes.items()}
    assert len(set(pids.values())) == 3
    assert all(p.poll() is None for p in env.mistral.processes.values())
    assert env.mistral.reply_api.process.poll() is None
    assert env.mistral.reply_api.process.pid not in pids.values()


def test_admin_maintains_one_host_over_rabbitmq_and_postgresql(env):
    initial, since = env.sim.state(), len(env.sim.events())
    execution_id = maintain_with_cli(env, "compute-0")
    final = wait_for_execution(env, execution_id, timeout=60)
    assert final.state == "SUCCESS", final.state_info
    assert_maintained(env, "compute-0", initial, env.sim.events()[since:])


def test_actions_wait_in_rabbitmq_until_an_executor_runs_them(env):
    """The executor is its own process: without it nothing touches the
    cloud, the action waits in the executor's queue, and the session goes on
    as soon as an executor is back."""
    mistral = env.mistral
    mistral.stop_component("executor")
    assert mistral.queue_state(mistral.topic("executor")) == (0, 0)
    initial, since = env.sim.state(), len(env.sim.events())

    execution_id = maintain_with_cli(env, "compute-1")
    deadline = time.monotonic() + 30
    while mistral.queue_state(mistral.topic("executor"))[0] < 1:
        assert time.monotonic() < deadline, "the engine never sent the action to the executor"
        time.sleep(0.1)
    time.sleep(1)
    client = mistral.client()
    assert client.executions.get(execution_id).state == "RUNNING"
    tasks = client.tasks.list(workflow_execution_id=execution_id)
    assert [(t.name, t.state) for t in tasks] == [("list_hosts", "RUNNING")]
    assert env.sim.events()[since:] == []
    assert mistral.queue_state(mistral.topic("executor")) == (1, 0)

    mistral.start_component("executor")
    mistral.wait_until_ready(["executor"])
    final = wait_for_execution(env, execution_id, timeout=60)
    assert final.state == "SUCCESS", final.state_info
    assert_maintained(env, "compute-1", initial, env.sim.events()[since:])


def test_rolling_session_with_vnfm_replies_through_the_reply_api_process(env):
    """A whole `maintenance.rolling` session on 3 hosts, a sample VNFM per
    project: each reply goes VNFM -> reply API process -> Mistral's API ->
    engine (RabbitMQ) and completes the `maintenance.ask_project` waiting
    for it; notifications and constraints reach the executor's actions
    through the URLs in its environment."""
    client = env.mistral.client()
    asks_before = {a.id for a in client.action_executions.list(limit=-1)
                   if a.name == "maintenance.ask_project"}
    with ProductionSessionRun(env) as run:
        session_id = run.create(session_input())
        final = run.wait(session_id, timeout=120)
        verdict = run.verdict(session_id)
    assert final.state == "SUCCESS", final.state_info
    assert_done(run, session_id, verdict)
    assert verdict["judged"]["maintained_count"] == {h["name"]: 1 for h in INVENTORY["hosts"]}
    assert all(h["status"] == "enabled" for h in env.sim.state()["hosts"])
    assert verdict["migrations"] >= 1

    replies = []
    for project, vnfm in run.vnfms.items():
        states = set(vnfm.states())
        assert {"MAINTENANCE", "MAINTENANCE_COMPLETE"} <= states, (project, states)
        assert states & {"PREPARE_MAINTENANCE", "PLANNED_MAINTENANCE"}, (project, states)
        answered = {r["state"] for r in vnfm.replies}
        assert {"ACK_MAINTENANCE", "ACK_MAINTENANCE_COMPLETE"} <= answered, (project, answered)
        assert answered & {"ACK_PREPARE_MAINTENANCE", "ACK_PLANNED_MAINTENANCE"}, (project, answered)
        for reply in vnfm.replies:
            assert reply["status"] == 200, reply
            assert reply["url"].startswith(env.mistral.reply_api_url + "/"), reply
        replies += vnfm.replies
    # Every question of the session was answered by a reply through the API.
    asks = [a for a in client.action_executions.list(limit=-1)
            if a.name == "maintenance.ask_project" and a.id not in asks_before]
    assert len(asks) == len(replies)
    assert {a.state for a in asks} == {"SUCCESS"}
