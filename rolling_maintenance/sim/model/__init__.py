"""The simulated cloud's state and behaviour, without HTTP."""

from rolling_maintenance.sim.model.alarms import AlarmOps
from rolling_maintenance.sim.model.catalog import CatalogOps
from rolling_maintenance.sim.model.core import ModelCore
from rolling_maintenance.sim.model.faults import FaultOps
from rolling_maintenance.sim.model.identity import IdentityOps
from rolling_maintenance.sim.model.migrations import MigrationOps
from rolling_maintenance.sim.model.servers import ServerOps
from rolling_maintenance.sim.model.services import ServiceOps
from rolling_maintenance.sim.model.snapshot import SnapshotOps
from rolling_maintenance.sim.model.timing import Timing


class Model(IdentityOps, CatalogOps, ServiceOps, ServerOps, MigrationOps, AlarmOps, FaultOps,
            SnapshotOps, ModelCore):
    """Everything the simulator knows; callers hold `lock` and call `advance()` first."""


__all__ = ["Model", "Timing"]
