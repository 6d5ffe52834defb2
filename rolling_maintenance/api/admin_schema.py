"""The body of `POST /v1/maintenance` (Fenix's) turned into a session input.

Fenix's fields: `hosts`, `state` (the first state: MAINTENANCE), `maintenance_at`
(`2018-02-28 06:06:03`, UTC, or ISO 8601), `metadata`, `workflow`
(`default` or `vnf`, a session-input field),
`actions` (`{"plugin", "type", "metadata"}`) and `download`. Every other
session-input field (`project_maintenance_reply`, `event_type`, ...) may be
given too, so the admin API starts exactly the sessions `mistral
execution-create maintenance.rolling` starts. What is not supported is
refused with 400 naming it, never ignored.
"""


from rolling_maintenance.api import body as request_body
from rolling_maintenance.api import errors
from rolling_maintenance.workflow import contract, session_input, times

FENIX_ONLY = ("state", "download")


# The body as JSON Schema, for the API's OpenAPI description; `session_input_from` is the check.
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": dict(
        session_input.SCHEMA["properties"],
        state={"enum": [contract.MAINTENANCE]},
        download={"type": "array", "maxItems": 0},
    ),
}


def _loads(raw):
    body = request_body.parse_json(raw)
    if not isinstance(body, dict):
        raise errors.bad_request("body: a maintenance session is a JSON object")
    return body


def _check_fenix_fields(body):
    state = body.get("state", contract.MAINTENANCE)
    if state != contract.MAINTENANCE:
        raise errors.bad_request("state: a session starts in %s, got %r"
                                 % (contract.MAINTENANCE, state))
    workflow = body.get("workflow", contract.DEFAULT_WORKFLOW)
    if workflow not in contract.WORKFLOWS:
        raise errors.bad_request("workflow: unknown workflow %r (supported: %s)"
                                 % (workflow, ", ".join(contract.WORKFLOWS)))
    if body.get("download"):
        raise errors.bad_request("download is not supported: install the software with "
                                 "plug-ins (actions) instead")


def _maintenance_at(value):
    if value is None:
        return None
    try:
        moment = times.parse_time(value)
    except ValueError as exc:
        raise errors.bad_request("maintenance_at: %s" % exc) from None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def session_input_from(raw):
    """The session input for a POST body, or a 400 `ApiError` naming what is wrong."""
    body = _loads(raw)
    unknown = sorted(k for k in body if k not in FENIX_ONLY and k not in session_input.DEFAULTS)
    if unknown:
        raise errors.bad_request("not supported: %s" % ", ".join(unknown))
    _check_fenix_fields(body)
    given = {k: v for k, v in body.items() if k not in FENIX_ONLY}
    if "maintenance_at" in given:
        given["maintenance_at"] = _maintenance_at(given["maintenance_at"])
    _, problems = session_input.read_fields(given)
    if problems:
        raise errors.bad_request("; ".join(problems))
    return {k: v for k, v in given.items() if v is not None or k in session_input.NULL_MEANS_SOMETHING}
