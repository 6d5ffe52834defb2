"""One small threaded WSGI server (standard library) for every HTTP endpoint the project serves.

The reply API, the sample VNFM's webhook, the simulated cloud and the tests'
fakes all serve a WSGI app on a loopback port from a daemon thread. Requests
are logged at debug level only: the services log what they do themselves.

A server facing clients it does not control (the reply API) is given
`limits`: a whole request (line, headers and body) must arrive within
`read_timeout` seconds, and at most `max_requests` are served at once; a
connection beyond that waits up to `queue_wait` seconds for a free slot,
then gets 503 with Retry-After (at once while the server stays full).
Without limits the server behaves as it always did: no timeout, one thread
per connection.
"""

import dataclasses
import io
import json
import logging
import socket
import socketserver
import threading
import time
from wsgiref import simple_server

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Limits:
    """What one client may take from a server: time to send a request, and a share of its threads."""

    read_timeout: float = 10.0
    max_requests: int = 32
    queue_wait: float = 0.5
    retry_after: int = 1


class _DeadlineReader(io.RawIOBase):
    """A socket's incoming bytes, refused with `TimeoutError` once `deadline` (monotonic) is past.

    A per-read timeout alone lets a client that sends a byte now and then
    hold a thread for ever; this bounds the whole request.
    """

    def __init__(self, sock, deadline, write_timeout):
        super().__init__()
        self.sock = sock
        self.deadline = deadline
        self.write_timeout = write_timeout

    def readable(self):
        return True

    def readinto(self, buffer):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.sock.settimeout(left)
        try:
            return self.sock.recv_into(buffer)
        finally:
            # Answers are written with a timeout of their own, not what is left.
            self.sock.settimeout(self.write_timeout)


class _QuietHandler(simple_server.WSGIRequestHandler):
    def setup(self):
        limits = self.server.limits
        if limits is None:
            super().setup()
            return
        self.timeout = limits.read_timeout
        super().setup()
        self.rfile.close()  # the socket closes only once every file made from it is closed
        reader = _DeadlineReader(self.connection, self.server.deadline(), limits.read_timeout)
        self.rfile = io.BufferedReader(reader, self.rbufsize if self.rbufsize > 0 else 8192)

    def log_message(self, format, *args):
        LOG.debug("%s - %s", self.address_string(), format % args)


LINGER_SECONDS = 1.0


def _drain(sock, deadline, most=4 * 1024 * 1024):
    """Read and drop what the client still sends, until it closes, `deadline` or `most` bytes."""
    while most > 0:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        sock.settimeout(left)
        chunk = sock.recv(65536)
        if not chunk:
            return
        most -= len(chunk)


def _busy_answer(limits):
    body = json.dumps({"error": {"code": "busy", "message": (
        "the server is answering %d requests already; retry in %d s"
        % (limits.max_requests, limits.retry_after))}}).encode("utf-8")
    head = ("HTTP/1.0 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\nRetry-After: %d\r\nConnection: close\r\n\r\n"
            % (len(body), limits.retry_after))
    return head.encode("ascii") + body


class _ThreadingServer(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, handler, limits=None):
        self.limits = limits
        self._slots = threading.BoundedSemaphore(limits.max_requests) if limits else None
        self._request = threading.local()
        self._refused_at = float("-inf")
        super().__init__(address, handler)

    def server_bind(self):
        # HTTPServer.server_bind resolves the bound address with getfqdn(),
        # a reverse-DNS lookup that can hang on a host without network.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port
        self.setup_environ()

    def process_request(self, request, client_address):
        if self._slots is None:
            return super().process_request(request, client_address)
        # While the server stays full, one refusal a `queue_wait` is waited for; the
        # connections queued behind it are refused at once rather than each in turn.
        full_lately = time.monotonic() - self._refused_at < self.limits.queue_wait
        if not self._slots.acquire(timeout=0 if full_lately else self.limits.queue_wait):
            self._refused_at = time.monotonic()
            self._refuse(request, client_address)
            return None
        try:
            return super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def deadline(self):
        """When the request the calling thread serves must have arrived (monotonic seconds)."""
        return getattr(self._request, "deadline", time.monotonic())

    def process_request_thread(self, request, client_address):
        if self.limits is not None:
            self._request.deadline = time.monotonic() + self.limits.read_timeout
        try:
            super().process_request_thread(request, client_address)
        finally:
            if self._slots is not None:
                self._slots.release()

    def _refuse(self, request, client_address):
        """503 from the accepting thread, which must not wait on this client: answer and close."""
        LOG.warning("Refusing a request from %s: %d requests are being served",
                    client_address[0], self.limits.max_requests)
        try:
            request.settimeout(0.05)
            request.sendall(_busy_answer(self.limits))
            request.shutdown(socket.SHUT_WR)
            _drain(request, time.monotonic() + 0.05)
        except OSError:
            pass
        socketserver.TCPServer.shutdown_request(self, request)

    def shutdown_request(self, request):
        if self.limits is not None:
            # Closing with unread bytes (a refused body) resets the connection and can
            # destroy the answer before the client reads it: half-close, drain, then close,
            # within the request's own time.
            try:
                request.shutdown(socket.SHUT_WR)
                _drain(request, min(time.monotonic() + LINGER_SECONDS, self.deadline()))
            except OSError:
                pass
            self.close_request(request)
            return
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        # A client that is too slow or goes away is the client's problem, not a traceback.
        LOG.debug("Request from %s failed", client_address[0], exc_info=True)


class BackgroundServer:
    """`app` served on `host`:`port` (0 = any free port); the socket is bound at once.

    `start()` serves from a daemon thread named `name`; `serve_forever()` in
    the calling thread until `stop()` is called from elsewhere. `limits` (a
    `Limits`) bounds what clients may take; None keeps no bound.
    """

    def __init__(self, app, host="127.0.0.1", port=0, name="http", limits=None):
        self.httpd = _ThreadingServer((host, port), _QuietHandler, limits=limits)
        self.httpd.set_app(app)
        self.host, self.port = self.httpd.server_address[:2]
        self.name = name
        self._thread = None

    @property
    def url(self):
        return "http://%s:%d" % (self.host, self.port)

    def start(self):
        """Serve in a daemon thread; returns the base URL."""
        self._thread = threading.Thread(target=self.httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="%s-%d" % (self.name, self.port), daemon=True)
        self._thread.start()
        return self.url

    def serve_forever(self):
        """Serve in the calling thread until `stop` is called from elsewhere."""
        self.httpd.serve_forever(poll_interval=0.2)

    def stop(self):
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.httpd.server_close()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
