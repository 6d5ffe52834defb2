"""`rolling-maintenance-api`: the tenant reply API (Fenix-compatible) in front of Mistral.

VNFMs GET their instance list and PUT their replies here; each valid reply
completes the Mistral action execution that waits for it. They also PUT their
instance group and instance constraints here, kept as Mistral environments.
"""

import argparse
import logging
import os
import signal
import sys
import threading

from rolling_maintenance import wsgi_server
from rolling_maintenance.api import auth
from rolling_maintenance.api import keystone_auth
from rolling_maintenance.api import server

PROG = "rolling-maintenance-api"
DEFAULT_PORT = 12347


def _positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError("must be above 0, got %s" % text)
        return value
    parse.__name__ = kind.__name__
    return parse


def parse_args(argv):
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help="port; 0 picks a free one (default %d)" % DEFAULT_PORT)
    parser.add_argument("--mistral-url", default=os.environ.get("OS_MISTRAL_URL"),
                        help="Mistral API, like http://127.0.0.1:8989/v2 (default $OS_MISTRAL_URL)")
    parser.add_argument("--cloud", help="clouds.yaml entry of the service identity that talks "
                                        "to Mistral (needs the admin role); none = no auth")
    parser.add_argument("--auth", choices=auth.MODES, default="none",
                        help="none (default, trusts every caller: loopback only) or keystone "
                             "(every request needs a Keystone token, validated by "
                             "keystonemiddleware's auth_token; needs --config-file)")
    parser.add_argument("--config-file", action="append", default=[], metavar="PATH",
                        help="oslo.config file with the [keystone_authtoken] section for "
                             "--auth keystone (repeat to layer files)")
    defaults = wsgi_server.Limits()
    parser.add_argument("--read-timeout", type=_positive(float), default=defaults.read_timeout,
                        help="seconds a client has to send a whole request (default %g)"
                             % defaults.read_timeout)
    parser.add_argument("--max-requests", type=_positive(int), default=defaults.max_requests,
                        help="requests served at once; more wait %g s, then get 503 "
                             "(default %d)" % (defaults.queue_wait, defaults.max_requests))
    parser.add_argument("--debug", action="store_true", help="log every request")
    return parser.parse_args(argv)


def _keystone_conf(args):
    """The `[keystone_authtoken]` configuration for `--auth keystone`, else None."""
    if args.auth != "keystone":
        if args.config_file:
            raise keystone_auth.ConfigError("--config-file is for --auth keystone")
        return None
    return keystone_auth.load_config(args.config_file)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if not args.mistral_url and not args.cloud:
        print("%s: error: give --mistral-url (or set OS_MISTRAL_URL) or --cloud" % PROG,
              file=sys.stderr)
        return 2
    try:
        keystone_conf = _keystone_conf(args)
        limits = wsgi_server.Limits(read_timeout=args.read_timeout,
                                    max_requests=args.max_requests)
        api = server.ReplyAPI(args.mistral_url, host=args.host, port=args.port,
                              auth=args.auth, cloud=args.cloud, limits=limits,
                              keystone_conf=keystone_conf)
        url = api.start()
    except keystone_auth.ConfigError as exc:
        print("%s: error: %s" % (PROG, exc), file=sys.stderr)
        return 2
    except OSError as exc:
        print("%s: error: cannot listen on %s:%d: %s" % (PROG, args.host, args.port,
                                                         exc.strerror or exc), file=sys.stderr)
        return 2
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    print("Reply API: %s (auth %s, Mistral %s; read timeout %g s, %d requests at once)"
          % (url, args.auth, args.mistral_url or args.cloud, limits.read_timeout,
             limits.max_requests))
    print("Ready.", flush=True)
    while not stopped.wait(0.5):
        pass
    api.stop()
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
