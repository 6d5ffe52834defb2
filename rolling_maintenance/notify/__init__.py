"""Maintenance notifications: payloads (Fenix format) and their delivery drivers."""

from rolling_maintenance.notify.config import ConfigError
from rolling_maintenance.notify.config import NotifyConfig
from rolling_maintenance.notify.events import send_host_event
from rolling_maintenance.notify.events import send_project_event
from rolling_maintenance.notify.events import send_session_event
from rolling_maintenance.notify.events import try_send
from rolling_maintenance.notify.payloads import PayloadError

__all__ = ["ConfigError", "NotifyConfig", "PayloadError", "send_host_event",
           "send_project_event", "send_session_event", "try_send"]
