"""Start and stop the embedded Mistral as a child process.

Mistral keeps its configuration in process-wide globals, so the tests and the
demo run it in a process of its own, the way an operator would.
"""

import os
import subprocess
import sys
import threading
import time


class MistralStartError(RuntimeError):
    """The embedded Mistral exited or did not become ready."""


class MistralEndpoint:
    """What a client needs of a running Mistral API at `self.url`."""

    url = None

    def cli_env(self):
        """The environment for the `mistral` CLI against this Mistral."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        env["OS_MISTRAL_URL"] = self.url
        return env

    def client(self, admin=False):
        """A client without auth (`admin`: claiming the admin role, see
        `mistral.client.for_service`)."""
        from rolling_maintenance.mistral import client as mistral_client
        return mistral_client.for_service(self.url, admin=admin)


class EmbeddedMistral(MistralEndpoint):
    """One `rolling-maintenance-mistral` process and its API URL."""

    def __init__(self, workdir, db_path=None, env=None, port=0, reply_api_port=0, ready_timeout=90,
                 samples=False, debug=False, config_files=(), cloud=None):
        """`reply_api_port` None: no reply API in this process (one runs elsewhere)."""
        self.workdir = workdir
        self.db_path = db_path or os.path.join(workdir, "mistral.sqlite")
        self.env = dict(os.environ if env is None else env)
        self.port = port
        self.reply_api_port = reply_api_port
        self.ready_timeout = ready_timeout
        self.samples = samples
        self.debug = debug
        # Mistral behind Keystone: its configuration, and the identity the launcher uses.
        self.config_files = list(config_files)
        self.cloud = cloud
        self.process = None
        self.url = None
        self.reply_api_url = None
        self.output = []
        self._ready = threading.Event()

    @property
    def log_path(self):
        """Mistral's log, beside the database."""
        return os.path.splitext(self.db_path)[0] + ".log"

    def start(self):
        env_file = os.path.join(self.workdir, "mistral.env")
        cmd = [sys.executable, "-m", "rolling_maintenance.embedded.cli",
               "--port", str(self.port), "--db", self.db_path, "--env-file", env_file]
        if self.reply_api_port is None:
            cmd.append("--no-reply-api")
        else:
            cmd += ["--reply-api-port", str(self.reply_api_port)]
        if self.samples:
            cmd.append("--samples")
        if self.debug:
            cmd.append("--debug")
        for path in self.config_files:
            cmd += ["--config-file", path]
        if self.cloud:
            cmd += ["--cloud", self.cloud]
        self.process = subprocess.Popen(
            cmd, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, bufsize=1)
        threading.Thread(target=self._read_output, daemon=True).start()
        deadline = time.monotonic() + self.ready_timeout
        while not self._ready.wait(0.1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise MistralStartError(
                    "embedded Mistral did not start:\n" + "".join(self.output[-30:]))
        return self.url

    def _read_output(self):
        for line in self.process.stdout:
            self.output.append(line)
            if line.startswith("Mistral API: "):
                self.url = line.split(": ", 1)[1].strip()
            elif line.startswith("Reply API: "):
                self.reply_api_url = line.split(": ", 1)[1].strip()
            elif line.strip() == "Ready.":
                self._ready.set()

    def stop(self, timeout=15):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
