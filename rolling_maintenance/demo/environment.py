"""A simulated cloud and an embedded Mistral wired to it, for the demo and tests."""

import os
import tempfile

import openstack

from rolling_maintenance.cloud import catalog
from rolling_maintenance.embedded import stack
from rolling_maintenance.sim import ScaledClock, Simulator

ADMIN_CLOUD = "sim-admin"


class DemoEnvironment:
    """The simulator in this process, Mistral in a child process.

    Mistral's actions reach the simulator through a clouds.yaml, the way they
    reach a real cloud; the `mistral` CLI needs only `OS_MISTRAL_URL`. The
    sample plug-ins are registered: the sessions use them. The maintenance
    API is listed in the simulator's catalog (service type `maintenance`),
    as an operator lists it on a real cloud.
    """

    def __init__(self, inventory, speed=20.0, workdir=None, clock=None, reply_api_port=0):
        self.workdir = workdir or tempfile.mkdtemp(prefix="rm-demo-")
        self.sim = Simulator.from_inventory(inventory, clock=clock or ScaledClock(speed=speed))
        self.reply_api_port = reply_api_port
        self.mistral = None
        self._mistral_env = None

    def start(self):
        self.sim.start()
        clouds_yaml = os.path.join(self.workdir, "clouds.yaml")
        self.sim.clouds_yaml(clouds_yaml)
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        env["OS_CLIENT_CONFIG_FILE"] = clouds_yaml
        env["OS_CLOUD"] = ADMIN_CLOUD
        self._mistral_env = env
        try:
            self.start_mistral()
        except Exception:
            self.sim.stop()
            raise
        return self

    def start_mistral(self):
        """Start (or start again, on the same database) the embedded Mistral."""
        self.mistral = stack.EmbeddedMistral(self.workdir, env=self._mistral_env,
                                             reply_api_port=self.reply_api_port, samples=True)
        self.mistral.start()
        if self.mistral.reply_api_url:
            admin = openstack.connect(load_yaml_config=False, load_envvars=False,
                                      **self.sim.admin_credentials())
            catalog.register_maintenance_api(admin, catalog.versioned(self.mistral.reply_api_url))
        return self.mistral

    def crash_mistral(self):
        """Kill the embedded Mistral at once, as a power cut would."""
        self.mistral.process.kill()
        self.mistral.process.wait(30)

    def stop(self):
        if self.mistral:
            self.mistral.stop()
        self.sim.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
