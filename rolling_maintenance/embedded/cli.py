"""`rolling-maintenance-mistral`: the real Mistral on one machine, no broker.

Starts Mistral's API and engine as threads of this process on a SQLite file,
creates or updates the project's workbooks (with `--samples`, also registers
the sample plug-ins), and prints the API URL and the environment the
`mistral` CLI needs.
"""

import argparse
import errno
import os
import socket
import sys
import tempfile
import threading
import time
import urllib.request
import warnings

from rolling_maintenance import embedded
from rolling_maintenance.embedded import config as embedded_config
from rolling_maintenance.embedded import server
from rolling_maintenance.mistral.client import ACTION_URL_ENV

PROG = "rolling-maintenance-mistral"
READY_TIMEOUT_S = 60


class UsageError(Exception):
    """A problem with the command line or the machine, reported in one line."""


def parse_args(argv):
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address of the API (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8989, help="port of the API; 0 picks a free one (default 8989)")
    parser.add_argument("--db", help="SQLite file that keeps the state across restarts (default: a new temporary file)")
    parser.add_argument("--log-file", help="Mistral's log (default: beside the database)")
    parser.add_argument("--workbooks", help="folder of workbooks to create or update (default: the project's)")
    parser.add_argument("--samples", action="store_true",
                        help="also register the sample plug-ins (for the simulated cloud)")
    parser.add_argument("--env-file", help="also write the CLI environment to this file (shell syntax)")
    parser.add_argument("--reply-api-port", type=int, default=12347,
                        help="port of the tenants' reply API; 0 picks a free one (default 12347, as Fenix)")
    parser.add_argument("--no-reply-api", action="store_true",
                        help="do not start the reply API (one runs elsewhere)")
    parser.add_argument("--config-file", action="append", default=[], metavar="PATH",
                        help="more Mistral configuration, read after the embedded one (repeat), "
                             "e.g. [pecan] auth_enable = True and [keystone_authtoken]")
    parser.add_argument("--cloud", help="clouds.yaml entry this launcher and its reply API talk "
                                        "to Mistral as (Mistral behind Keystone; default: no auth)")
    parser.add_argument("--debug", action="store_true", help="debug logging")
    return parser.parse_args(argv)


def describe_failure(exc):
    """One line naming what failed: a Mistral API error's text can be None."""
    text = getattr(exc, "error_message", None) or str(exc)
    if not text or text == "None":
        text = "no message"
    code = getattr(exc, "error_code", None)
    return "%s%s: %s" % (type(exc).__name__, " (HTTP %s)" % code if code else "", text)


def reserve_port(host, port):
    """Check that the port is free (or pick one for 0) before Mistral binds it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # As the servers themselves do: connections of a stopped server that
    # linger in TIME_WAIT do not make the port busy; a listener does.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError("port %d on %s is already in use" % (port, host)) from None
        raise UsageError("cannot listen on %s:%d: %s" % (host, port, exc.strerror)) from None
    finally:
        chosen = sock.getsockname()[1] if sock.fileno() != -1 else port
        sock.close()
    return chosen


def check_db_path(path):
    """The database file must be creatable and writable, its folder existing."""
    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        raise UsageError("database folder %s does not exist" % folder)
    if os.path.isdir(path):
        raise UsageError("database path %s is a folder" % path)
    try:
        with open(path, "a"):
            pass
    except OSError as exc:
        raise UsageError("database path %s is not writable: %s" % (path, exc.strerror)) from None
    if not os.access(folder, os.W_OK):
        # SQLite writes its journal beside the file.
        raise UsageError("database folder %s is not writable" % folder)
    return path


def wait_for_api(url, deadline):
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise UsageError("the Mistral API did not answer at %s" % url)


def announce(url, env_file, workbooks_done, reply_api_url):
    lines = [
        "export OS_MISTRAL_URL=%s" % url,
        "unset OS_AUTH_URL",
    ]
    print("Mistral API: %s" % url)
    if reply_api_url:
        print("Reply API: %s" % reply_api_url)
    print("Workbooks: %s" % ", ".join(
        "%s (%s)" % item for item in sorted(workbooks_done.items())))
    print("Environment for the mistral CLI:")
    for line in lines:
        print("  " + line)
    if env_file:
        with open(env_file, "w") as handle:
            handle.write("\n".join(lines) + "\n")
    print("Ready.", flush=True)


def main(argv=None):
    # oslo.service imports eventlet even with the threading backend chosen.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    args = parse_args(sys.argv[1:] if argv is None else argv)
    problem = embedded.missing_mistral()
    if problem:
        print("%s: %s" % (PROG, problem), file=sys.stderr)
        return 2
    try:
        for path in args.config_file:
            if not os.path.isfile(path):
                raise UsageError("config file %s does not exist" % path)
        port = reserve_port(args.host, args.port)
        reply_port = None if args.no_reply_api else reserve_port(args.host, args.reply_api_port)
        if args.db:
            db_path = check_db_path(args.db)
        else:
            db_path = os.path.join(tempfile.mkdtemp(prefix="rm-mistral-"), "mistral.sqlite")
        workbooks_dir = args.workbooks
        if workbooks_dir and not os.path.isdir(workbooks_dir):
            raise UsageError("workbooks folder %s does not exist" % workbooks_dir)
    except UsageError as exc:
        print("%s: error: %s" % (PROG, exc), file=sys.stderr)
        return 2

    log_file = args.log_file or os.path.splitext(db_path)[0] + ".log"
    conf_path = os.path.splitext(db_path)[0] + ".conf"
    with open(conf_path, "w") as handle:
        handle.write(embedded_config.mistral_config(
            db_path, args.host, port, log_file=log_file, debug=args.debug))
    url = "http://%s:%d/v2" % (args.host, port)
    # Actions run in this process and reach Mistral's API through this.
    os.environ[ACTION_URL_ENV] = url
    reply_api = None
    if reply_port is not None:
        from rolling_maintenance.api.server import ReplyAPI
        reply_api = ReplyAPI(mistral_url=url, host=args.host, port=reply_port, cloud=args.cloud)
        # The notifications tell each project where to reply.
        os.environ["ROLLING_MAINTENANCE_API_URL"] = reply_api.start()
    outcome = {"code": 0}

    def on_ready():
        def _finish():
            try:
                wait_for_api(url.rsplit("/v2", 1)[0] + "/", time.monotonic() + READY_TIMEOUT_S)
                from rolling_maintenance.mistral import workbooks
                from rolling_maintenance.mistral import client as mistral_client
                # Behind Keystone, admins of every project start the sessions.
                done = workbooks.sync_workbooks(mistral_client.for_service(url, args.cloud),
                                                workbooks_dir,
                                                scope="public" if args.cloud else "private")
                if args.samples:
                    from rolling_maintenance.samples import registry
                    done.update(registry.register(
                        mistral_client.for_service(url, args.cloud, admin=True)))
                announce(url, args.env_file, done, reply_api and reply_api.url)
            except Exception as exc:  # reported, then the process stops
                print("%s: error: %s" % (PROG, describe_failure(exc)), file=sys.stderr, flush=True)
                outcome["code"] = 1
                os.kill(os.getpid(), 15)
        threading.Thread(target=_finish, daemon=True).start()

    print("Starting Mistral (database %s, log %s)" % (db_path, log_file), flush=True)
    server.serve([conf_path] + [os.path.abspath(p) for p in args.config_file], on_ready)
    if reply_api:
        reply_api.stop()
    print("Stopped.", flush=True)
    server.exit_now(outcome["code"])


if __name__ == "__main__":
    sys.exit(main())
