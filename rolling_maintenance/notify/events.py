"""The three notifications the workflow sends; the only way anything is sent.

Each call builds the payload (checked, see `payloads`), hands it to the
configured driver, and returns the delivery result with the payload under
`"payload"`, so the workflow's task output shows exactly what went out.

Options: `event_type`, `driver` (name), `api_url`, `transport_url` override the
environment (see `config.NotifyConfig`); `config` replaces both; `context` is
the Mistral action context (the webhook driver reads Aodh with it); `deliver`
is a driver object, for tests.
"""

import logging

from rolling_maintenance.notify import config as notify_config
from rolling_maintenance.notify import drivers
from rolling_maintenance.notify import payloads

LOG = logging.getLogger(__name__)


def _config(config, options):
    if config is not None:
        if any(value is not None for value in options.values()):
            raise notify_config.ConfigError(
                "pass either config or the options %s, not both" % ", ".join(sorted(options)))
        return config
    return notify_config.NotifyConfig.build(**options)


def _send(config, context, deliver, event_type, payload, project_id, broadcast):
    deliver = deliver or drivers.driver_for(config, context)
    result = deliver.send(event_type, payload, project_id=project_id, broadcast=broadcast)
    result["payload"] = payload
    return result


def send_project_event(session_id, project_id, state, *, instance_ids=None,
                       allowed_actions=None, actions_at=None, reply_at=None, metadata=None,
                       per_instance=False, event_type=None, driver=None, api_url=None,
                       transport_url=None, config=None, context=None, deliver=None):
    """Tell one project about `state` (event type `maintenance.scheduled` unless configured).

    `instance_ids` only with INSTANCE_ACTION_DONE, as the one instance id
    (sent as a one-element list), or with `per_instance` (the `vnf`
    workflow's questions), as a one-element list;
    `allowed_actions` defaults from the state; times are datetimes, epoch
    seconds or ISO text.
    """
    config = _config(config, {"event_type": event_type, "driver": driver,
                              "api_url": api_url, "transport_url": transport_url})
    payload = payloads.project_event(
        session_id, project_id, state, config.require_api_url(), instance_ids=instance_ids,
        allowed_actions=allowed_actions, actions_at=actions_at, reply_at=reply_at,
        metadata=metadata, per_instance=per_instance)
    return _send(config, context, deliver, config.event_type, payload, project_id, False)


def send_host_event(host, state, session_id, project_id=None, *, driver=None, transport_url=None,
                    config=None, context=None, deliver=None):
    """Tell fault managers `host` is IN_MAINTENANCE or back (MAINTENANCE_COMPLETE).

    Goes to every project subscribed to `maintenance.host`. `project_id` is the
    admin's project, the event's owner on the message bus.
    """
    config = _config(config, {"driver": driver, "transport_url": transport_url})
    payload = payloads.host_event(host, state, session_id, project_id)
    return _send(config, context, deliver, payloads.HOST_EVENT_TYPE, payload, project_id, True)


def send_session_event(session_id, state, hosts_done, hosts_total, reason=None, *,
                       percent_done=None, project_id=None, driver=None, transport_url=None,
                       config=None, context=None, deliver=None):
    """Report the session's state and progress to every `maintenance.session` subscriber.

    `project_id` (the admin's project) is not part of the payload but owns the
    event on the message bus, which Aodh needs to find the admin's alarm.
    """
    config = _config(config, {"driver": driver, "transport_url": transport_url})
    payload = payloads.session_event(session_id, state, hosts_done, hosts_total, reason,
                                     percent_done=percent_done)
    return _send(config, context, deliver, payloads.SESSION_EVENT_TYPE, payload, project_id, True)


def try_send(send, **kwargs):
    """`send(**kwargs)` (one of the `send_*_event` above) for a path that must go on
    when nothing can be told: a failure (no Aodh to find the webhooks, no message
    bus, a bad configuration) is logged and returned as `{"error": ...}`."""
    try:
        return send(**kwargs)
    except Exception as exc:  # any channel's failure: the caller's own work still counts
        LOG.warning("Could not send %s for session %s: %s", send.__name__,
                    kwargs.get("session_id"), exc)
        return {"error": "%s: %s" % (type(exc).__name__, exc)}
