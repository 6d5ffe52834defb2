"""POST /servers/{id}/action: live and cold migration, confirm and revert.

Request bodies are checked as Nova's schemas check them for the request's
microversion; the moves themselves answer 202 and happen later, except a live
migration below 2.34 that no host can take (400 at once, as Nova schedules it
while the request waits).
"""

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.web import nova_common
from rolling_maintenance.sim.web.request import Response

ASYNC_LIVE_MIGRATION = (2, 34)


def _host_value(value, where):
    if value is not None and (not isinstance(value, str) or not value):
        raise errors.BadRequest("Invalid input for field/attribute %s. Value: %r. %r is not of "
                                "type 'string', 'null'" % (where, value, value))
    return value


def live_migrate(request, server_id, spec):
    nova_common.require_admin(request, "os_compute_api:os-migrate-server:migrate_live")
    mv = request.microversion
    allowed = ["host", "block_migration"]
    if mv < (2, 25):
        allowed.append("disk_over_commit")
    if (2, 30) <= mv < (2, 68):
        allowed.append("force")
    nova_common.check_keys(spec, allowed, "os-migrateLive")
    for required in ("host", "block_migration"):
        if required not in spec:
            raise errors.BadRequest("Invalid input for field/attribute os-migrateLive. '%s' is a "
                                    "required property" % required)
    block = spec["block_migration"]
    if not (isinstance(block, bool) or (mv >= (2, 25) and block == "auto")):
        raise errors.BadRequest("Invalid input for field/attribute block_migration. Value: %r. "
                                "Expected a boolean%s" % (block, " or 'auto'" if mv >= (2, 25) else ""))
    force = spec.get("force", False)
    if not isinstance(force, bool):
        raise errors.BadRequest("Invalid input for field/attribute force. Value: %r." % (force,))
    host = _host_value(spec["host"], "host")
    request.model.live_migrate(request.actor, server_id, host=host, force=force,
                               synchronous=mv < ASYNC_LIVE_MIGRATION)
    return Response(202)


def cold_migrate(request, server_id, spec):
    nova_common.require_admin(request, "os_compute_api:os-migrate-server:migrate")
    host = None
    if spec is not None:
        if request.microversion < (2, 56):
            raise errors.BadRequest("Invalid input for field/attribute migrate. Value: %r. None is "
                                    "expected before microversion 2.56" % (spec,))
        nova_common.check_keys(spec, ["host"], "migrate")
        host = _host_value(spec.get("host"), "host")
    request.model.cold_migrate(request.actor, server_id, host=host)
    return Response(202)


def confirm_resize(request, server_id, spec):
    _no_argument(spec, "confirmResize")
    request.model.confirm_resize(request.actor, server_id)
    return Response(204)


def revert_resize(request, server_id, spec):
    _no_argument(spec, "revertResize")
    request.model.revert_resize(request.actor, server_id)
    return Response(202)


def _no_argument(spec, action):
    if spec is not None:
        raise errors.BadRequest("Invalid input for field/attribute %s. Value: %r. None is "
                                "expected" % (action, spec))


ACTIONS = {
    "os-migrateLive": live_migrate,
    "migrate": cold_migrate,
    "confirmResize": confirm_resize,
    "revertResize": revert_resize,
}


def server_action(request):
    body = request.json_object()
    server_id = request.params["server_id"]
    request.model.server(server_id, request.actor)
    known = [key for key in body if key in ACTIONS]
    if len(body) != 1 or not known:
        raise errors.BadRequest("There is no such action: %s" % ", ".join(sorted(body)) if body
                                else "The request body names no action")
    return ACTIONS[known[0]](request, server_id, body[known[0]])
