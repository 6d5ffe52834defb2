"""Deliver notifications on the cloud's message bus, the production path.

oslo.messaging Notifier (`messagingv2`, topic `notifications`, publisher id
`maintenance`) -> Ceilometer event pipeline -> Aodh event alarm -> the VNFM's
webhook. The context must be an `oslo_context` RequestContext carrying the
project: oslo.messaging 18 silently drops a plain-dict context, and without a
project Aodh finds no alarm to fire.
"""

import contextlib
import logging
import threading

LOG = logging.getLogger(__name__)
PUBLISHER_ID = "maintenance"
TOPIC = "notifications"
DRIVER = "messagingv2"
SEND_RETRIES = 2
NOTIFY_LOGGER = "oslo_messaging.notify"


class _SendErrors(logging.Handler):
    """Collects the errors oslo.messaging logs, instead of raising, for this thread's send."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.thread = threading.get_ident()
        self.messages = []

    def emit(self, record):
        if record.thread != self.thread:
            return
        message = record.getMessage().split(" Payload=", 1)[0]
        if record.exc_info and record.exc_info[1] is not None:
            message = "%s: %s" % (message, record.exc_info[1])
        self.messages.append(message)


@contextlib.contextmanager
def _send_errors():
    handler = _SendErrors()
    logger = logging.getLogger(NOTIFY_LOGGER)
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def _open_transport(transport_url):
    from oslo_config import cfg
    import oslo_messaging

    # A private option set: Mistral's executor owns the global cfg.CONF.
    conf = cfg.ConfigOpts()
    conf([], project="rolling-maintenance", default_config_files=[], default_config_dirs=[])
    return oslo_messaging.get_notification_transport(conf, url=transport_url)


class MessagingDriver:
    """One notification per event on `transport_url`, at INFO priority."""

    name = "messaging"

    def __init__(self, config, open_transport=_open_transport):
        self.config = config
        self.open_transport = open_transport

    def send(self, event_type, payload, project_id=None, broadcast=False):
        """Publish; return `{"driver", "event_type", "project_id", "publisher_id",
        "delivered": [{"topic"}], "failed": [{"topic", "error"}]}`.

        `project_id` (default: the payload's) goes into the context: Ceilometer
        takes the event's project from there, and Aodh fires only that
        project's alarms. `broadcast` changes nothing here: on the bus every
        subscriber already sees every event. The broker is retried a couple of
        times; oslo.messaging then logs the failure instead of raising, and
        that log is reported under `failed`. Delivered means handed to the
        broker, not consumed.
        """
        import oslo_messaging
        from oslo_context import context as oslo_context

        project_id = project_id or payload.get("project_id")
        topic = TOPIC + ".info"
        transport = self.open_transport(self.config.transport_url)
        try:
            notifier = oslo_messaging.Notifier(
                transport, publisher_id=PUBLISHER_ID, driver=DRIVER, topics=[TOPIC],
                retry=SEND_RETRIES)
            with _send_errors() as problems:
                notifier.info(oslo_context.RequestContext(project_id=project_id), event_type,
                              payload)
        finally:
            transport.cleanup()
        result = {"driver": self.name, "event_type": event_type, "project_id": project_id,
                  "publisher_id": PUBLISHER_ID, "delivered": [], "failed": []}
        if problems:
            LOG.warning("Sending %s failed: %s", event_type, problems[-1])
            result["failed"].append({"topic": topic, "error": problems[-1]})
        else:
            result["delivered"].append({"topic": topic})
        return result
