"""The API's OpenAPI 3.1 description, served at `GET /v1/openapi.json`.

Built from the very JSON schemas the API validates bodies with (OpenAPI 3.1
schemas are JSON Schema), so the description cannot drift from the checks.
Every error answer has the `Error` shape; the statuses listed per operation
are all the API answers there (the fuzzing test holds it to that).
"""

from rolling_maintenance.api import admin_schema
from rolling_maintenance.api import body
from rolling_maintenance.api import constraints_schema
from rolling_maintenance.api import reply_schema

PATH = "/v1/openapi.json"

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"],
                             "properties": {"code": {"type": "string"},
                                            "message": {"type": "string"}}}},
}
_WHY = {
    400: "malformed body (not UTF-8, not JSON, nested deeper than %d levels, wrong "
         "Content-Length) or a field that breaks the rules; the message names it" % body.MAX_DEPTH,
    401: "no confirmed Keystone identity (auth keystone)",
    403: "the caller's project may not act for this project",
    404: "no such resource",
    408: "the request did not arrive within the read timeout",
    409: "no question pending, reply window closed, or answered differently before; "
         "for the admin: the session is not failed, so it cannot be continued",
    413: "the body is larger than %d bytes" % body.MAX_BODY_BYTES,
    502: "Mistral refused the reply",
    503: "Mistral did not answer, or the API is serving its maximum of requests "
         "(see Retry-After)",
}
# Answers any request may get, whatever its path: the server's own limits.
_ANY = (408, 503)
_WITH_BODY = (400, 408, 413)


def _error_responses(statuses):
    return {str(s): {"description": _WHY[s], "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}} for s in sorted(set(statuses))}


def _operation(summary, ok, errors, request=None, ok_schema=None, body_required=True):
    responses = {str(ok): ({"description": "done"} if ok_schema is None else {
        "description": "success",
        "content": {"application/json": {"schema": ok_schema}}})}
    responses.update(_error_responses(tuple(errors) + _ANY))
    operation = {"summary": summary, "responses": responses}
    if request is not None:
        operation["requestBody"] = {"required": body_required, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/%s" % request}}}}
        responses.update(_error_responses(tuple(errors) + _ANY + _WITH_BODY))
    return operation


def _id_param(name):
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


_OBJECT = {"type": "object"}
_AUTH = (401, 403)
# PUT on a session continues it as it is: no body, or an empty object.
_CONTINUE = {"type": "object", "maxProperties": 0}


def _admin_paths():
    """Fenix's admin API (`admin_service`): only an admin may call it."""
    session = [_id_param("session_id")]
    return {
        "/v1/maintenance": {
            "get": _operation("Every maintenance session's id", 200, _AUTH + (503,),
                              ok_schema=_OBJECT),
            "post": _operation("Start a maintenance session (Fenix's body, or any session input)",
                               200, _AUTH + (503,), request="MaintenanceSession",
                               ok_schema=_OBJECT),
        },
        "/v1/maintenance/{session_id}": {
            "parameters": session,
            "get": _operation("A session's state and progress", 200, _AUTH + (404, 503),
                              ok_schema=_OBJECT),
            "put": _operation("Continue a failed session", 200, _AUTH + (404, 409, 503),
                              request="Continue", ok_schema=_OBJECT, body_required=False),
            "delete": _operation("Cancel a session and give its hosts back", 200,
                                 _AUTH + (404, 503), ok_schema=_OBJECT),
        },
        "/v1/maintenance/{session_id}/detail": {
            "parameters": session,
            "get": _operation("A session's hosts, projects and instances", 200,
                              _AUTH + (404, 503), ok_schema=_OBJECT),
        },
    }


def document(limits, with_constraints=True, with_admin=True):
    """The description as a JSON-ready dict, for a server with `limits` (a `wsgi_server.Limits`);
    `with_constraints` adds the constraints endpoints, `with_admin` the admin API's."""
    paths = {
        "/": {"get": _operation("API versions (a cheap readiness check)", 200, (),
                                ok_schema=_OBJECT)},
        PATH: {"get": _operation("This description", 200, (), ok_schema=_OBJECT)},
        "/v1/maintenance/{session_id}/{project_id}": {
            "parameters": [_id_param("session_id"), _id_param("project_id")],
            "get": _operation("The instances of the question asked last", 200,
                              _AUTH + (404, 503), ok_schema=_OBJECT),
            "put": _operation("Reply to the pending question (ACK_/NACK_<STATE>)", 200,
                              _AUTH + (409, 502, 503), request="Reply", ok_schema=_OBJECT),
        },
    }
    schemas = {"Error": _ERROR, "Reply": reply_schema.SCHEMA}
    if with_admin:
        paths.update(_admin_paths())
        schemas.update(MaintenanceSession=admin_schema.SCHEMA, Continue=_CONTINUE)
    if with_constraints:
        for kind, schema_name, schema, id_name in (
                ("instance_group", "InstanceGroup", constraints_schema.GROUP_SCHEMA, "group_id"),
                ("instance", "Instance", constraints_schema.INSTANCE_SCHEMA, "instance_id")):
            item = {"$ref": "#/components/schemas/%s" % schema_name}
            paths["/v1/%s" % kind] = {"get": _operation(
                "The caller's %s constraints (all for an admin)" % kind, 200, _AUTH + (503,),
                ok_schema=_OBJECT)}
            paths["/v1/%s/{%s}" % (kind, id_name)] = {
                "parameters": [_id_param(id_name)],
                "get": _operation("One %s constraint" % kind, 200, _AUTH + (404, 503),
                                  ok_schema=item),
                "put": _operation("Create or replace a %s constraint" % kind, 200,
                                  _AUTH + (503,), request=schema_name, ok_schema=item),
                # 200 with an empty object, as Fenix answers (Tacker retries otherwise).
                "delete": _operation("Remove a %s constraint" % kind, 200,
                                     _AUTH + (404, 503), ok_schema={"type": "object"}),
            }
            schemas[schema_name] = schema
    return {
        "openapi": "3.1.0",
        "info": {"title": "Rolling maintenance reply, constraints and admin API (Fenix-compatible)",
                 "version": "1",
                 "description": (
                     "Limits: a body of at most %d bytes, nested at most %d levels; a whole "
                     "request must arrive within %g s; at most %d requests are served at once, "
                     "others wait up to %g s, then get 503 with Retry-After."
                     % (body.MAX_BODY_BYTES, body.MAX_DEPTH,
                        limits.read_timeout, limits.max_requests, limits.queue_wait))},
        "paths": paths,
        "components": {"schemas": schemas},
    }
