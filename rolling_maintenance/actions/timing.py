"""When the session may start its work: measured when it gets there, not at validation."""

import datetime

from mistral_lib import actions

from rolling_maintenance.actions import base
from rolling_maintenance.workflow import times


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


class SecondsUntilAction(actions.Action):
    """Whole seconds from now until `moment` (ISO 8601), 0 once it has passed.

    The workflow waits that long before the work (`wait-before`), so the
    hosts are touched at `maintenance_at` however long the projects took to
    reply, and a session continued after that time does not wait again.
    """

    def __init__(self, moment=None):
        self.moment = moment

    def run(self, context):
        try:
            return times.seconds_until(self.moment, utcnow())
        except ValueError as exc:
            return base.error_result("invalid_time", str(exc), {"moment": self.moment})
