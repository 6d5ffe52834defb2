"""Run the real Mistral 23 API and engine as threads of this one process.

`mistral-server --server all` forks each component into its own process, and
the in-memory `fake:/` transport cannot cross processes; oslo.service's plain
`Launcher` keeps every service in this process, so no broker is needed.
"""

import logging as std_logging
import os
import signal
import socket
import sys
import threading
import time

from rolling_maintenance.embedded import recovery

STAMP_REVISION = "head"
API_LISTEN_TIMEOUT_S = 30


def prepare_database(conf):
    """Create Mistral's schema from its models and stamp the migrations.

    `mistral-db-manage upgrade head` cannot run on SQLite (it alters
    constraints); the models give the same schema, and the stamp lets a
    later `upgrade` know where the database stands. The stamp is written
    through alembic's migration context, not its `stamp` command: that one
    runs Mistral's migration `env.py`, whose `logging.config.fileConfig`
    replaces the log's handlers and disables every logger already created,
    which left Mistral's log file empty.
    """
    import sqlalchemy
    from alembic import config as alembic_config
    from alembic.runtime import migration as alembic_migration
    from alembic.script import ScriptDirectory
    from mistral.db.v2 import api as db_api

    db_api.setup_db()
    alembic_cfg = alembic_config.Config()
    alembic_cfg.set_main_option(
        "script_location", "mistral.db.sqlalchemy.migration:alembic_migrations")
    engine = sqlalchemy.create_engine(conf.database.connection, poolclass=sqlalchemy.pool.NullPool)
    try:
        with engine.begin() as connection:
            alembic_migration.MigrationContext.configure(connection).stamp(
                ScriptDirectory.from_config(alembic_cfg), STAMP_REVISION)
    finally:
        engine.dispose()


def _silence_alembic():
    std_logging.getLogger("alembic").setLevel(std_logging.WARNING)


def wait_until_listening(address, timeout):
    """Return once a TCP connection to `address` is accepted; raise after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(address, timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("the Mistral API does not listen on %s:%d" % address) from None
            time.sleep(0.05)


def start_in_order(launcher, api, api_address, make_engine, timeout=API_LISTEN_TIMEOUT_S):
    """Start the API; only once it listens, the engine, and the lost task starts.

    The engine resumes the sessions' work at once (the due jobs of its
    scheduler, the tasks started again here), and their actions call
    Mistral's API (the session's environment, the ask records): started
    before the API listens, they got "Connection refused" and failed the
    session. What a kill left half-done is found before the engine exists
    (see `recovery`): the starts of tasks wait in the transport until the
    engine listens, the completions until it has started.
    """
    launcher.launch_service(api)
    wait_until_listening(api_address, timeout)
    orphaned_tasks = recovery.orphaned_tasks()
    unfinished = recovery.unfinished_executions()
    recovery.release_taken_calls()
    recovery.start_tasks(orphaned_tasks)
    engine = make_engine()
    launcher.launch_service(engine)
    recovery.finish_executions(unfinished, engine)
    return engine


def serve(config_files, on_ready):
    """Start Mistral from `config_files` (later ones win); call `on_ready()` once the API listens.

    Blocks until SIGTERM or SIGINT, then stops the services and returns.
    """
    from oslo_service import backend

    # Real threads: the services must run while this thread only waits.
    backend.init_backend(backend.BackendType.THREADING)

    from oslo_config import cfg
    from oslo_log import log as logging
    from oslo_service import service

    from mistral import config
    from mistral.api import service as api_service
    from mistral.engine import engine_server
    from mistral.rpc import base as rpc

    from rolling_maintenance.embedded import schema_speedup

    schema_speedup.install()
    conf = cfg.CONF
    config.parse_args([arg for path in config_files for arg in ("--config-file", path)])
    logging.setup(conf, "Mistral")
    _silence_alembic()
    rpc.get_transport()
    prepare_database(conf)

    launcher = service.Launcher(conf, restart_method="mutate")
    start_in_order(launcher, api_service.WSGIService("mistral_api"),
                   (conf.api.host, conf.api.port), engine_server.get_oslo_service)

    stopped = threading.Event()

    def _stop(signum, frame):
        stopped.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    on_ready()
    while not stopped.wait(0.5):
        pass
    launcher.stop()


def exit_now(code):
    """Leave without waiting for Mistral's own timer threads.

    The heartbeat checker and sender are non-daemon threads that notice a
    stop only after their next interval; the services are already stopped
    and the database committed, so nothing is lost by not waiting.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
