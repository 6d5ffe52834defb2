"""Where and how notifications go: action parameters first, then the environment.

A dataclass rather than oslo.config: the options are few, and actions run in
Mistral's process, whose global oslo.config object is Mistral's own.
"""

import dataclasses
import os

from rolling_maintenance.notify import payloads

DRIVERS = ("webhook", "messaging")
ENV = {
    "driver": "ROLLING_MAINTENANCE_NOTIFY_DRIVER",
    "event_type": "ROLLING_MAINTENANCE_EVENT_TYPE",
    "transport_url": "ROLLING_MAINTENANCE_TRANSPORT_URL",
    "api_url": "ROLLING_MAINTENANCE_API_URL",
}


class ConfigError(ValueError):
    """A notification option is missing or invalid; the message names it."""


@dataclasses.dataclass(frozen=True)
class NotifyConfig:
    """`driver`: webhook (embedded default) or messaging (oslo.messaging, real clouds).

    `event_type` is the project event type: the session's default
    (`maintenance.scheduled`, what Fenix's code, Doctor and Tacker use)
    unless configured (the Fenix docs' `maintenance.planned`).
    `api_url` is the reply API's base URL put into `reply_url`.
    `cloud` names the clouds.yaml entry the webhook driver reads alarms with.
    `timeout_s` bounds each webhook POST (it frees the posting thread; the
    reply window, not this, decides whether a project answered in time);
    `connect_retries` more tries, `retry_delay_s` apart and doubling, follow
    a refused connection.
    """

    driver: str = "webhook"
    event_type: str = payloads.DEFAULT_EVENT_TYPE
    transport_url: str = None
    api_url: str = None
    cloud: str = None
    timeout_s: float = 300.0
    connect_retries: int = 3
    retry_delay_s: float = 1.0

    def __post_init__(self):
        if self.driver not in DRIVERS:
            raise ConfigError("notification driver must be one of %s, got %r (set %s)"
                              % (", ".join(DRIVERS), self.driver, ENV["driver"]))
        if not isinstance(self.event_type, str) or not self.event_type.strip():
            raise ConfigError("event_type must be a non-empty string, got %r" % (self.event_type,))
        if self.driver == "messaging" and not self.transport_url:
            raise ConfigError("the messaging driver needs a transport_url "
                              "(e.g. rabbit://user:password@host:5672/); set %s"
                              % ENV["transport_url"])
        if self.timeout_s is None or self.timeout_s <= 0:
            raise ConfigError("timeout_s must be > 0, got %r" % (self.timeout_s,))
        if isinstance(self.connect_retries, bool) or not isinstance(self.connect_retries, int) \
                or self.connect_retries < 0:
            raise ConfigError("connect_retries must be a whole number >= 0, got %r"
                              % (self.connect_retries,))
        if self.retry_delay_s is None or self.retry_delay_s < 0:
            raise ConfigError("retry_delay_s must be >= 0, got %r" % (self.retry_delay_s,))

    @classmethod
    def build(cls, environ=None, **params):
        """Options from `params` where given (not None), else from `environ` (os.environ)."""
        environ = os.environ if environ is None else environ
        values = {}
        for field in dataclasses.fields(cls):
            value = params.pop(field.name, None)
            if value is None and field.name in ENV:
                value = environ.get(ENV[field.name]) or None
            if value is not None:
                values[field.name] = value
        if params:
            raise ConfigError("unknown notification option(s): %s" % ", ".join(sorted(params)))
        return cls(**values)

    def require_api_url(self):
        """The reply API URL, which every project event needs for its `reply_url`."""
        if not self.api_url:
            raise ConfigError("no reply API URL: pass api_url or set %s" % ENV["api_url"])
        return self.api_url
