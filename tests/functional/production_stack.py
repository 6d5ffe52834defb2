"""Mistral as it runs in production: api, engine and executor as separate
`mistral-server` processes over RabbitMQ, PostgreSQL as its database, and
(on request) the project's reply API as a process of its own in front of it.

Everything this starts or creates is named after one random run id, so
parallel runs on the same broker and database server do not collide, and
everything is removed again by `stop()`: the processes, the database, and
the broker's queues and exchange.
"""

import configparser
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

from rolling_maintenance.embedded.stack import MistralEndpoint

RABBIT = ("127.0.0.1", 5672)
RABBIT_URL = "rabbit://guest:guest@127.0.0.1:5672/"
KOMBU_URL = "amqp://guest:guest@127.0.0.1:5672//"
POSTGRES = ("127.0.0.1", 5432)
POSTGRES_ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "test"}

BIN = os.path.dirname(sys.executable)
COMPONENTS = ("api", "engine", "executor")
# The RPC servers' name: `[engine] host` and `[executor] host` default to it,
# and each server also consumes from the queue "<topic>.<host>".
RPC_SERVER_NAME = "0.0.0.0"


def reachable(address):
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def signal_group(process, signum):
    """Signal the process group `process` leads (started with start_new_session)."""
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


class ProductionStartError(RuntimeError):
    """A component exited or did not become ready."""


def mistral_config(run_id, database_url, api_port, log_dir):
    """The mistral.conf of the production path, isolated by `run_id`."""
    conf = configparser.ConfigParser(interpolation=None)
    conf["DEFAULT"] = {
        "transport_url": RABBIT_URL,
        # No vhost of our own without broker admin rights: our own exchange
        # and our own topics (queue names) keep parallel runs apart.
        "control_exchange": "rm_%s" % run_id,
        "debug": "False",
    }
    conf["oslo_messaging_rabbit"] = {
        # Reply and fanout queues carry a random name; let the broker drop
        # them a minute after their process is gone (30 min by default).
        "rabbit_transient_queues_ttl": "60",
    }
    conf["api"] = {"host": "127.0.0.1", "port": str(api_port)}
    conf["pecan"] = {"auth_enable": "False"}
    conf["database"] = {"connection": database_url}
    conf["engine"] = {"topic": "rm_%s_engine" % run_id}
    conf["executor"] = {"type": "remote", "topic": "rm_%s_executor" % run_id}
    # Mistral's notifier serves only executions started with `notify`
    # params; the project sends its own notifications. Local: no process.
    conf["notifier"] = {"type": "local", "topic": "rm_%s_notifier" % run_id}
    conf["event_engine"] = {"topic": "rm_%s_event_engine" % run_id}
    conf["cron_trigger"] = {"enabled": "False"}
    # A synchronous action lost with its executor fails after ~105 s, so its
    # task can be rerun (Mistral's defaults keep it RUNNING for an hour).
    conf["action_heartbeat"] = {"max_missed_heartbeats": "3", "check_interval": "10",
                                "first_heartbeat_timeout": "60"}
    # Delayed calls (a task's end, a with-items item) are picked up every
    # `fixed_delay` seconds: 1 s by default, every state change would wait it.
    conf["scheduler"] = {"fixed_delay": "0.2"}
    path = os.path.join(log_dir, "mistral.conf")
    with open(path, "w") as handle:
        conf.write(handle)
    return path


class ReplyApiProcess:
    """`rolling-maintenance-api --mistral-url URL --port PORT`, the tenants'
    reply and constraints API, as a process of its own.

    Its port is picked at creation, so its URL is known before it starts (the
    executors need it in their environment: it goes into every `reply_url`).
    """

    def __init__(self, workdir, mistral_url, env, ready_timeout=30):
        self.workdir = workdir
        self.mistral_url = mistral_url
        self.env = env
        self.ready_timeout = ready_timeout
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.out_path = os.path.join(workdir, "reply-api.out")
        self.process = None

    def start(self):
        out = open(self.out_path, "a")
        try:
            self.process = subprocess.Popen(
                [os.path.join(BIN, "rolling-maintenance-api"), "--mistral-url", self.mistral_url,
                 "--port", str(self.port)],
                env=self.env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        finally:
            out.close()
        return self.process

    def _output(self):
        with open(self.out_path, errors="replace") as handle:
            return handle.read()

    def wait_until_ready(self):
        """Until it prints "Ready." (after "Reply API: <its URL>")."""
        deadline = time.monotonic() + self.ready_timeout
        while "Ready." not in self._output().splitlines():
            if self.process.poll() is not None:
                raise ProductionStartError("rolling-maintenance-api exited (%s):\n%s" % (
                    self.process.returncode, self.log_tail()))
            if time.monotonic() > deadline:
                raise ProductionStartError("rolling-maintenance-api not ready after %ss:\n%s" % (
                    self.ready_timeout, self.log_tail()))
            time.sleep(0.1)
        if "Reply API: %s " % self.url not in self._output():
            raise ProductionStartError("rolling-maintenance-api is not at %s:\n%s" % (
                self.url, self.log_tail()))

    def stop(self, timeout=15):
        """SIGTERM (it stops serving and exits), SIGKILL after `timeout`."""
        if self.process is None:
            return
        signal_group(self.process, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            signal_group(self.process, signal.SIGKILL)
            self.process.wait(10)

    def log_tail(self, lines=30):
        if not os.path.exists(self.out_path):
            return "--- reply-api ---\n"
        return "--- reply-api ---\n%s" % "".join(self._output().splitlines(True)[-lines:])


class ProductionMistral(MistralEndpoint):
    """Mistral's api, engine and executor as three `mistral-server` processes.

    With `reply_api`, also the project's reply API as a fourth process
    (`self.reply_api`, not one of `self.processes`), and the executor gets
    what the actions that talk to projects need: ROLLING_MAINTENANCE_API_URL
    (the reply API, for each notification's `reply_url`) and
    ROLLING_MAINTENANCE_MISTRAL_URL (Mistral's API, without Keystone).
    """

    def __init__(self, workdir, executor_env, env=None, ready_timeout=90, reply_api=False):
        self.workdir = workdir
        self.run_id = uuid.uuid4().hex[:12]
        self.database = "rolling_maintenance_%s" % self.run_id
        self.database_url = "postgresql+psycopg2://postgres@%s:%d/%s" % (POSTGRES + (self.database,))
        # No cloud credentials and no project settings from the caller's
        # environment: the executor gets its own below.
        self.env = {k: v for k, v in (os.environ if env is None else env).items()
                    if not k.startswith(("OS_", "ROLLING_MAINTENANCE_"))}
        self.ready_timeout = ready_timeout
        self.port = free_port()
        self.url = "http://127.0.0.1:%d/v2" % self.port
        self.executor_env = dict(self.env, **executor_env)
        self.reply_api = None
        # As EmbeddedMistral's: where the tenants reply (None: no reply API).
        self.reply_api_url = None
        if reply_api:
            self.reply_api = ReplyApiProcess(workdir, self.url, self.env)
            self.reply_api_url = self.reply_api.url
            self.executor_env.update(ROLLING_MAINTENANCE_API_URL=self.reply_api.url,
                                     ROLLING_MAINTENANCE_MISTRAL_URL=self.url)
        self.config_file = None
        self.processes = {}
        self.timings = {}
        self._database_created = False

    # -- names on the broker ---------------------------------------------
    @property
    def exchange(self):
        return "rm_%s" % self.run_id

    def topic(self, component):
        return "rm_%s_%s" % (self.run_id, component)

    def queue_state(self, queue):
        """(messages ready, consumers) of a queue, or None when it does not exist."""
        import amqp.exceptions
        import kombu

        with kombu.Connection(KOMBU_URL) as connection:
            channel = connection.channel()
            try:
                _, messages, consumers = channel.queue_declare(queue=queue, passive=True)
                return messages, consumers
            except amqp.exceptions.NotFound:
                return None
            finally:
                if channel.is_open:
                    channel.close()

    # -- life cycle ------------------------------------------------------
    def start(self, when_api_ready=None):
        """Create the database, start the three components, wait for them.

        `when_api_ready(self)` runs as soon as the API answers, while the
        engine and executor may still be starting (a workbook upload needs
        only the API and the database).
        """
        try:
            started = time.monotonic()
            self.create_database()
            self.config_file = mistral_config(self.run_id, self.database_url, self.port, self.workdir)
            self.upgrade_schema()
            self.timings["database"] = time.monotonic() - started
            started = time.monotonic()
            for component in COMPONENTS:
                self.start_component(component)
            if self.reply_api:
                self.reply_api.start()
            self.wait_until_ready(["api"])
            self.timings["api"] = time.monotonic() - started
            if when_api_ready:
                when_api_ready(self)
            self.wait_until_ready(COMPONENTS)
            if self.reply_api:
                self.reply_api.wait_until_ready()
            self.timings["all"] = time.monotonic() - started
        except BaseException:
            self.stop()
            raise
        return self

    def _admin_sql(self, statement):
        import psycopg2

        connection = psycopg2.connect(**POSTGRES_ADMIN)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def create_database(self):
        self._admin_sql('CREATE DATABASE "%s"' % self.database)
        self._database_created = True

    def drop_database(self):
        if not self._database_created:
            return
        # FORCE: a component killed hard may still hold a connection.
        self._admin_sql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.database)
        self._database_created = False

    def upgrade_schema(self):
        """Mistral's own alembic migrations, as an operator runs them."""
        result = subprocess.run(
            [os.path.join(BIN, "mistral-db-manage"), "--config-file", self.config_file,
             "upgrade", "head"],
            env=self.env, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise ProductionStartError("mistral-db-manage upgrade head failed:\n%s" % result.stderr[-3000:])

    def database_revision(self):
        import psycopg2

        connection = psycopg2.connect(**dict(POSTGRES_ADMIN, dbname=self.database))
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT version_num FROM alembic_version")
                return cursor.fetchone()[0]
        finally:
            connection.close()

    def start_component(self, component):
        """`mistral-server --server COMPONENT` in a process group of its own
        (the server forks its worker: the group is stopped as one)."""
        log_file = os.path.join(self.workdir, "%s.log" % component)
        out = open(os.path.join(self.workdir, "%s.out" % component), "a")
        try:
            process = subprocess.Popen(
                [os.path.join(BIN, "mistral-server"), "--config-file", self.config_file,
                 "--server", component, "--log-file", log_file],
                env=self.executor_env if component == "executor" else self.env,
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        finally:
            out.close()
        self.processes[component] = process
        return process

    def _ready(self, component):
        if component == "api":
            try:
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                with opener.open(self.url.rsplit("/v2", 1)[0] + "/", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False
        # An RPC server is ready when it consumes from its topic's queue;
        # before that, a message cast to the topic would be lost.
        state = self.queue_state(self.topic(component))
        return state is not None and state[1] >= 1

    def wait_until_ready(self, components):
        pending = set(components)
        deadline = time.monotonic() + self.ready_timeout
        while pending:
            for component in sorted(pending):
                if self.processes[component].poll() is not None:
                    raise ProductionStartError("mistral-server --server %s exited (%s):\n%s" % (
                        component, self.processes[component].returncode, self.log_tail(component)))
                if self._ready(component):
                    pending.discard(component)
            if pending and time.monotonic() > deadline:
                raise ProductionStartError("not ready after %ss: %s\n%s" % (
                    self.ready_timeout, ", ".join(sorted(pending)),
                    "\n".join(self.log_tail(c) for c in sorted(pending))))
            if pending:
                time.sleep(0.2)

    def stop_component(self, component, timeout=15):
        process = self.processes.get(component)
        if process is None:
            return
        self._signal(process, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._signal(process, signal.SIGKILL)
            process.wait(10)
        # The forked worker may outlive its master for a moment.
        self._signal(process, signal.SIGKILL)

    _signal = staticmethod(signal_group)

    def stop(self):
        """Stop every component (and the reply API), drop the database, remove
        our queues; always all of it."""
        errors = []
        for process in self.processes.values():
            self._signal(process, signal.SIGTERM)
        if self.reply_api:
            try:
                self.reply_api.stop()
            except Exception as exc:  # go on cleaning up
                errors.append("stop reply API: %s" % exc)
        for component in list(self.processes):
            try:
                self.stop_component(component)
            except Exception as exc:  # go on cleaning up
                errors.append("stop %s: %s" % (component, exc))
        for step in (self.drop_database, self.delete_broker_objects):
            try:
                step()
            except Exception as exc:
                errors.append("%s: %s" % (step.__name__, exc))
        if errors:
            raise RuntimeError("cleanup incomplete: " + "; ".join(errors))

    def delete_broker_objects(self):
        """Our topic queues and exchange; they are not auto-deleted."""
        import kombu

        with kombu.Connection(KOMBU_URL) as connection:
            channel = connection.channel()
            try:
                for component in ("engine", "executor", "notifier", "event_engine"):
                    for queue in (self.topic(component), "%s.%s" % (self.topic(component), RPC_SERVER_NAME)):
                        channel.queue_delete(queue)
                channel.exchange_delete(self.exchange)
            finally:
                channel.close()

    # -- for the tests ----------------------------------------------------
    def log_tail(self, component, lines=30):
        text = []
        for suffix in (".out", ".log"):
            path = os.path.join(self.workdir, component + suffix)
            if os.path.exists(path):
                with open(path, errors="replace") as handle:
                    text += handle.readlines()[-lines:]
        return "--- %s ---\n%s" % (component, "".join(text))

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
