"""A simulated cloud and an embedded Mistral wired to it, for the demo and tests."""

import os
import tempfile

from rolling_maintenance.embedded import stack
from rolling_maintenance.sim import ScaledClock, Simulator

ADMIN_CLOUD = "sim-admin"


class DemoEnvironment:
    """The simulator in this process, Mistral in a child process.

    Mistral's actions reach the simulator through a clouds.yaml, the way they
    reach a real cloud; the `mistral` CLI needs only `OS_MISTRAL_URL`.
    """

    def __init__(self, inventory, speed=20.0, workdir=None, clock=None):
        self.workdir = workdir or tempfile.mkdtemp(prefix="rm-demo-")
        self.sim = Simulator.from_inventory(inventory, clock=clock or ScaledClock(speed=speed))
        self.mistral = None

    def start(self):
        self.sim.start()
        clouds_yaml = os.path.join(self.workdir, "clouds.yaml")
        self.sim.clouds_yaml(clouds_yaml)
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        env["OS_CLIENT_CONFIG_FILE"] = clouds_yaml
        env["OS_CLOUD"] = ADMIN_CLOUD
        self.mistral = stack.EmbeddedMistral(self.workdir, env=env)
        try:
            self.mistral.start()
        except Exception:
            self.sim.stop()
            raise
        return self

    def stop(self):
        if self.mistral:
            self.mistral.stop()
        self.sim.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
