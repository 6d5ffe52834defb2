"""The demo's environment with what a crash test needs on top: Mistral on a
fixed port across restarts, and optionally the reply API in a process of its
own, so it can be killed and started again like Mistral."""

import os
import socket
import subprocess
import sys
import threading
import time

from rolling_maintenance.demo import environment
from rolling_maintenance.embedded import stack


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CrashEnvironment(environment.DemoEnvironment):
    """`separate_reply_api`: the reply API runs as `rolling-maintenance-api`
    in its own process (`kill_reply_api`, `start_reply_api`)."""

    def __init__(self, inventory, speed, workdir, separate_reply_api=False):
        super().__init__(inventory, speed=speed, workdir=workdir, reply_api_port=free_port())
        self.mistral_port = free_port()
        self.separate_reply_api = separate_reply_api
        self.reply_api = None

    @property
    def reply_api_url(self):
        return "http://127.0.0.1:%d" % self.reply_api_port

    def start_mistral(self):
        """Start (again) the embedded Mistral on the same database and port."""
        if not self.separate_reply_api:
            return self._start_embedded(self.reply_api_port)
        self._mistral_env["ROLLING_MAINTENANCE_API_URL"] = self.reply_api_url
        mistral = self._start_embedded(None)
        if self.reply_api is None:
            self.start_reply_api()
        return mistral

    def _start_embedded(self, reply_api_port):
        self.mistral = stack.EmbeddedMistral(self.workdir, env=self._mistral_env, port=self.mistral_port,
                                             reply_api_port=reply_api_port, samples=True)
        self.mistral.start()
        self.mistral.reply_api_url = self.mistral.reply_api_url or self.reply_api_url
        self._register_reply_api()
        return self.mistral

    def _register_reply_api(self):
        import openstack

        from rolling_maintenance.cloud import catalog
        admin = openstack.connect(load_yaml_config=False, load_envvars=False, **self.sim.admin_credentials())
        catalog.register_maintenance_api(admin, self.reply_api_url)

    def start_reply_api(self, timeout=60):
        """Start `rolling-maintenance-api` on the reply API's port; wait until it serves."""
        cmd = [sys.executable, "-m", "rolling_maintenance.api.cli", "--port", str(self.reply_api_port),
               "--mistral-url", self.mistral.url]
        self.reply_api = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                          env=dict(os.environ))
        ready = threading.Event()

        def read():
            for line in self.reply_api.stdout:
                if line.strip() == "Ready.":
                    ready.set()
        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.1):
            if self.reply_api.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the reply API did not start on port %d" % self.reply_api_port)

    def kill_reply_api(self):
        self.reply_api.kill()
        self.reply_api.wait(30)

    def stop(self):
        if self.reply_api is not None and self.reply_api.poll() is None:
            self.reply_api.terminate()
            self.reply_api.wait(15)
        super().stop()
