"""The tenant-facing reply API (Fenix-compatible) that turns VNFM replies into Mistral callbacks.

Waiting for a VNFM is an asynchronous Mistral action (`maintenance.ask_project`):
the workflow waits in RUNNING with no thread held, and the wait lives in
Mistral's database, so it survives restarts of Mistral and of this API. A
reply completes that action execution through Mistral's API; this package
keeps no state of its own. The tenants' constraints it serves beside the
replies live in Mistral too, as environments (`constraints_store`).
"""

from rolling_maintenance.api.server import ReplyAPI

__all__ = ["ReplyAPI"]
