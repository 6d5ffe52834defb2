"""What every action shares: a cloud connection and expected errors as results.

Expected failures (a migration that ends in error, an unknown host) come back
as `Result(error={"code", "message", "details"})` so a workflow can branch on
them and the admin reads why; anything else is a bug and raises.
"""

import abc

from mistral_lib import actions

from rolling_maintenance import cloud
from rolling_maintenance.cloud import token_context


def session_id_of(context):
    """The session id, for an action of `maintenance.rolling` itself: its
    execution id. Mistral tells an action only its own workflow's execution,
    so an action in a sub-workflow is given the session id as input."""
    return context.execution.workflow_execution_id


def project_id_of(context):
    """The caller's project when Mistral runs behind Keystone (a token in the
    context), else None (without auth every record is in one project)."""
    if not token_context.has_token(context):
        return None
    return getattr(token_context.security_of(context), "project_id", None)


def error_result(code, message, details=None):
    return actions.Result(error={"code": code, "message": message, "details": details or {}})


class CloudAction(actions.Action):
    """An action that talks to the cloud through `rolling_maintenance.cloud`."""

    def run(self, context):
        try:
            return self.run_with(cloud.connect(context), context)
        except cloud.CloudError as exc:
            return actions.Result(error=exc.to_dict())

    @abc.abstractmethod
    def run_with(self, conn, context):
        """Do the work on an open connection; return the action's result."""
