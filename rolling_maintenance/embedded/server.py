"""Run the real Mistral 23 API and engine as threads of this one process.

`mistral-server --server all` forks each component into its own process, and
the in-memory `fake:/` transport cannot cross processes; oslo.service's plain
`Launcher` keeps every service in this process, so no broker is needed.
"""

import logging as std_logging
import os
import signal
import sys
import threading

STAMP_REVISION = "head"


def prepare_database(conf):
    """Create Mistral's schema from its models and stamp the migrations.

    `mistral-db-manage upgrade head` cannot run on SQLite (it alters
    constraints); the models give the same schema, and the stamp lets a
    later `upgrade` know where the database stands.
    """
    from alembic import command as alembic_command
    from alembic import config as alembic_config
    from mistral.db.sqlalchemy import migration
    from mistral.db.v2 import api as db_api

    db_api.setup_db()
    alembic_cfg = alembic_config.Config(
        os.path.join(os.path.dirname(migration.__file__), "alembic.ini"))
    alembic_cfg.set_main_option(
        "script_location", "mistral.db.sqlalchemy.migration:alembic_migrations")
    alembic_cfg.mistral_config = conf
    alembic_command.stamp(alembic_cfg, STAMP_REVISION)


def _silence_alembic():
    std_logging.getLogger("alembic").setLevel(std_logging.WARNING)


def serve(config_file, on_ready):
    """Start Mistral from `config_file`; call `on_ready()` once the API listens.

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
    config.parse_args(["--config-file", config_file])
    logging.setup(conf, "Mistral")
    _silence_alembic()
    rpc.get_transport()
    prepare_database(conf)

    launcher = service.Launcher(conf, restart_method="mutate")
    launcher.launch_service(engine_server.get_oslo_service())
    api = api_service.WSGIService("mistral_api")
    launcher.launch_service(api)

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
