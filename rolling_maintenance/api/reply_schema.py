"""The reply body a VNFM PUTs, checked before anything is looked up or changed.

Fenix's format: `{"state": "ACK_<STATE>" | "NACK_<STATE>", "instance_actions":
{"<uuid>": "MIGRATE" | "LIVE_MIGRATE" | "OWN_ACTION"}}`; to a question about
one instance (the `vnf` workflow's), `"instance_action": "<action>"` names
the action for that instance, as Tacker and Doctor's VNFM send it. Other keys are
accepted and ignored: the OPNFV Doctor sample sends `session_id` and
`instance_ids`, Tacker its own. Tacker also answers INSTANCE_ACTION_DONE,
which asks nothing: `ACK_INSTANCE_ACTION_DONE` (or `NACK_`) is well formed,
and the rules take it as a receipt.
"""

import dataclasses

import jsonschema

from rolling_maintenance.api import body as request_body
from rolling_maintenance.api import errors
from rolling_maintenance.workflow.contract import ASKED_STATES, INSTANCE_ACTION_DONE, INSTANCE_ACTIONS

REPLY_STATES = tuple("%s_%s" % (verdict, state) for verdict in ("ACK", "NACK")
                     for state in (*ASKED_STATES, INSTANCE_ACTION_DONE))

# Bounds: a project has at most this many instances in one reply; a body carries
# a few keys besides ours (Doctor's, Tacker's).
MAX_INSTANCES = 10000
MAX_KEYS = 64

SCHEMA = {
    "type": "object",
    "required": ["state"],
    "maxProperties": MAX_KEYS,
    "properties": {
        "state": {"type": "string", "enum": list(REPLY_STATES)},
        "instance_actions": {
            "type": ["object", "null"],
            "maxProperties": MAX_INSTANCES,
            "additionalProperties": {"type": "string", "enum": list(INSTANCE_ACTIONS)},
        },
        "instance_action": {"enum": [*INSTANCE_ACTIONS, None]},
    },
}
_VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


@dataclasses.dataclass(frozen=True)
class Reply:
    """A well-formed reply: ACK or NACK of `asked_state`, with the chosen instance actions."""

    verdict: str
    asked_state: str
    instance_actions: dict
    instance_action: str = None

    @property
    def state(self):
        return "%s_%s" % (self.verdict, self.asked_state)

    @property
    def is_receipt(self):
        """It answers INSTANCE_ACTION_DONE, which asks nothing."""
        return self.asked_state == INSTANCE_ACTION_DONE


def _where(error):
    path = ".".join(str(p) for p in error.absolute_path)
    return path or "body"


def parse_reply(raw):
    """A `Reply` from the request body bytes, or a 400 `ApiError` naming the bad field."""
    body = request_body.parse_json(raw)
    problems = sorted(_VALIDATOR.iter_errors(body), key=lambda e: list(e.absolute_path))
    if problems:
        first = problems[0]
        if first.validator == "enum" and _where(first) == "state":
            message = "state must be ACK_<STATE> or NACK_<STATE> for one of %s, got %r" % (
                ", ".join((*ASKED_STATES, INSTANCE_ACTION_DONE)), first.instance)
        elif first.validator == "enum":
            message = "%s must be one of %s, got %r" % (
                _where(first), ", ".join(INSTANCE_ACTIONS), first.instance)
        else:
            message = "%s: %s" % (_where(first), first.message)
        raise errors.bad_request(message)
    verdict, asked = body["state"].split("_", 1)
    return Reply(verdict, asked, dict(body.get("instance_actions") or {}),
                 body.get("instance_action"))
