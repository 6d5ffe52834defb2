"""Ask a project (VNFM) a question and let Mistral wait for its reply; send the other events.

`maintenance.ask_project` is asynchronous: `run()` sends the notification
and returns, and the action execution stays RUNNING in Mistral's database
until the reply API completes it (`PUT /v2/action_executions/<id>`). No thread
is held while a VNFM thinks, and the wait survives a restart of Mistral or of
the reply API. The task's `timeout` is the reply window.

Once the question is checked and before it is sent, the action records its
own action execution id against (session, project, state) in the ask record
(`workflow.ask`), where the reply API finds the wait with one lookup; the execution's input (session_id,
project_id, state, instance_ids, allowed_actions, reply_window_s) is the
question.
"""

import datetime

from mistral_lib import actions

from rolling_maintenance import cloud
from rolling_maintenance import notify
from rolling_maintenance.actions import base
from rolling_maintenance.mistral import asks
from rolling_maintenance.mistral import client as mistral_client
from rolling_maintenance.mistral.errors import MISTRAL_ERRORS
from rolling_maintenance.notify import drivers
from rolling_maintenance.notify import payloads
from rolling_maintenance.workflow import times
from rolling_maintenance.workflow.contract import ASKED_STATES


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def _admin_project(context):
    security = getattr(context, "security", None)
    return getattr(security, "project_id", None)


def _failed(exc):
    if isinstance(exc, cloud.CloudError):
        return actions.Result(error=exc.to_dict())
    return base.error_result("invalid_notification", str(exc))


class AskProjectAction(actions.Action):
    """Send the project event for `state` and wait (asynchronously) for the reply.

    `per_instance` (the `vnf` workflow): the question names its one instance
    in `instance_ids` instead of the URL of the list.

    The reply API completes this action with `{"project_id", "state":
    "ACK_<STATE>", "instance_actions": {...}}`, or fails it on a NACK. It
    fails at once when the notification fired no subscriber's alarm: nobody
    could answer. A webhook that is slow or answers an error does not fail
    it (the posts run apart, as Aodh's): the reply window decides.
    """

    def __init__(self, session_id, project_id, state, instance_ids, reply_window_s,
                 allowed_actions=None, actions_at=None, metadata=None, event_type=None,
                 driver=None, api_url=None, per_instance=False):
        self.session_id = session_id
        self.project_id = project_id
        self.state = state
        self.instance_ids = instance_ids
        self.reply_window_s = reply_window_s
        self.allowed_actions = allowed_actions
        self.actions_at = actions_at
        self.metadata = metadata
        self.event_type = event_type
        self.driver = driver
        self.api_url = api_url
        self.per_instance = per_instance

    def is_sync(self):
        return False

    def _check(self):
        if self.state not in ASKED_STATES:
            raise payloads.PayloadError("state must be one of %s, got %r"
                                        % (", ".join(ASKED_STATES), self.state))
        if not isinstance(self.instance_ids, list) or not all(
                isinstance(i, str) and i for i in self.instance_ids):
            raise payloads.PayloadError("instance_ids must be a list of instance ids, got %r"
                                        % (self.instance_ids,))
        window = self.reply_window_s
        if isinstance(window, bool) or not isinstance(window, (int, float)) or window <= 0:
            raise payloads.PayloadError("reply_window_s must be a number of seconds > 0, got %r"
                                        % (window,))

    def _record(self, context):
        """Say where the reply API finds this wait, before anyone can reply."""
        execution = getattr(context, "execution", None)
        action_execution_id = getattr(execution, "action_execution_id", None)
        if not action_execution_id:
            raise payloads.PayloadError("the action has no action execution id to wait on")
        try:
            asks.MistralAsks(mistral_client.for_action(context)).record_ask(
                self.session_id, self.project_id, self.state, action_execution_id)
        except MISTRAL_ERRORS as exc:
            raise cloud.CloudError("not_recorded", "cannot record the %s question to project %s "
                                   "in Mistral: %s" % (self.state, self.project_id, exc),
                                   {"project_id": self.project_id}) from None

    def run(self, context):
        now = utcnow()
        try:
            self._check()
            config = notify.NotifyConfig.build(event_type=self.event_type, driver=self.driver,
                                               api_url=self.api_url)
            result = notify.send_project_event(
                self.session_id, self.project_id, self.state,
                instance_ids=self.instance_ids if self.per_instance else None,
                per_instance=self.per_instance, allowed_actions=self.allowed_actions,
                actions_at=times.not_before(self.actions_at, now),
                reply_at=now + datetime.timedelta(seconds=self.reply_window_s),
                metadata=self.metadata, config=config, context=context,
                deliver=_RecordedFirst(lambda: self._record(context), config, context))
        except (cloud.CloudError, ValueError) as exc:
            return _failed(exc)
        if not result["delivered"] and not result.get("queued"):
            return base.error_result(
                "not_delivered",
                "the %s notification to project %s was not delivered: %s" % (
                    self.state, self.project_id, _why_not(result)),
                {"project_id": self.project_id, "failed": result["failed"],
                 "skipped": result.get("skipped", [])})
        return None


class _RecordedFirst:
    """The configured driver, once the question is checked: record the wait, then send."""

    def __init__(self, record, config, context):
        self.record = record
        self.config = config
        self.context = context

    def send(self, *args, **kwargs):
        driver = drivers.driver_for(self.config, self.context)
        self.record()
        return driver.send(*args, **kwargs)


def _why_not(result):
    reasons = ["%s: %s" % (f.get("url") or f.get("topic"), f["error"]) for f in result["failed"]]
    reasons += ["alarm %s: %s" % (s.get("alarm_id"), s["reason"])
                for s in result.get("skipped", [])]
    return "; ".join(reasons) or "the project has no event alarm on %s" % result["event_type"]


class NotifyHostAction(actions.Action):
    """`maintenance.host` IN_MAINTENANCE / MAINTENANCE_COMPLETE, for fault managers.

    `project_id` defaults to the caller's (the admin's) project.
    """

    def __init__(self, session_id, host, state, project_id=None, driver=None):
        self.session_id = session_id
        self.host = host
        self.state = state
        self.project_id = project_id
        self.driver = driver

    def run(self, context):
        try:
            return notify.send_host_event(
                self.host, self.state, self.session_id,
                self.project_id or _admin_project(context), driver=self.driver, context=context)
        except (cloud.CloudError, ValueError) as exc:
            return _failed(exc)


class NotifySessionAction(actions.Action):
    """`maintenance.session`: the session's state and progress, for the admin."""

    def __init__(self, session_id, state, hosts_done, hosts_total, reason=None,
                 percent_done=None, project_id=None, driver=None):
        self.session_id = session_id
        self.state = state
        self.hosts_done = hosts_done
        self.hosts_total = hosts_total
        self.reason = reason
        self.percent_done = percent_done
        self.project_id = project_id
        self.driver = driver

    def run(self, context):
        try:
            return notify.send_session_event(
                self.session_id, self.state, self.hosts_done, self.hosts_total, self.reason,
                percent_done=self.percent_done,
                project_id=self.project_id or _admin_project(context),
                driver=self.driver, context=context)
        except (cloud.CloudError, ValueError) as exc:
            return _failed(exc)
