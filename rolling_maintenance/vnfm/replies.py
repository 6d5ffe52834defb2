"""Reply bodies, shaped like those of the VNFMs already in the field.

The OPNFV Doctor sample sends `session_id` in every reply and the instance
list with ACK_MAINTENANCE and ACK_SCALE_IN; the instance actions go with the
replies to PREPARE_MAINTENANCE and PLANNED_MAINTENANCE.
"""

from rolling_maintenance.workflow import contract

MIGRATION_ACTIONS = contract.MIGRATION_TYPES
INSTANCE_ACTIONS = contract.INSTANCE_ACTIONS
REPLIED_STATES = contract.ASKED_STATES
STATES_WITH_INSTANCE_IDS = (contract.MAINTENANCE, contract.SCALE_IN)
STATES_WITH_ACTIONS = contract.MOVING_STATES


def reply_body(state, session_id, ack=True, instance_ids=None, instance_actions=None):
    """The body to PUT to `reply_url` for a notification in `state`."""
    if state not in REPLIED_STATES:
        raise ValueError("no reply is sent to %s (only to %s)" % (state, ", ".join(REPLIED_STATES)))
    body = {"state": "%s_%s" % ("ACK" if ack else "NACK", state), "session_id": session_id}
    if ack and state in STATES_WITH_INSTANCE_IDS:
        body["instance_ids"] = list(instance_ids or [])
    if ack and state in STATES_WITH_ACTIONS:
        body["instance_actions"] = dict(instance_actions or {})
    return body


def migration_choice(preferred, allowed_actions):
    """The migration to ask for: `preferred` if allowed, else the other one allowed.

    An empty `allowed_actions` means the sender did not restrict them.
    """
    if preferred not in MIGRATION_ACTIONS:
        raise ValueError("migration type must be one of %s, got %r"
                         % (", ".join(MIGRATION_ACTIONS), preferred))
    if not allowed_actions or preferred in allowed_actions:
        return preferred
    for action in MIGRATION_ACTIONS:
        if action in allowed_actions:
            return action
    return None


def own_action_allowed(allowed_actions):
    return not allowed_actions or "OWN_ACTION" in allowed_actions
