"""Pick the delivery driver named by the configuration."""

from rolling_maintenance.notify import messaging
from rolling_maintenance.notify import webhook


def driver_for(config, context=None):
    """The driver of `config.driver`; `context` is the Mistral action context the
    webhook driver reads the subscriptions with."""
    if config.driver == "webhook":
        return webhook.WebhookDriver(config, webhook.cloud_alarms(config, context))
    if config.driver == "messaging":
        return messaging.MessagingDriver(config)
    raise ValueError("unknown notification driver %r" % (config.driver,))
