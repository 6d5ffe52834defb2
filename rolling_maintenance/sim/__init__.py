"""A simulated OpenStack cloud (Keystone v3, Nova v2.1, Aodh v2 subsets) that
the real clients talk to over HTTP, with an injectable clock and faults."""

from rolling_maintenance.sim.clock import ManualClock, ScaledClock
from rolling_maintenance.sim.simulator import Simulator

__all__ = ["ManualClock", "ScaledClock", "Simulator"]
