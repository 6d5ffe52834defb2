"""Nova server groups: `policy` + `rules` from 2.64, a `policies` list before."""

import uuid

from rolling_maintenance.sim import errors, scheduler
from rolling_maintenance.sim.model import records
from rolling_maintenance.sim.web import nova_common
from rolling_maintenance.sim.web.request import Response


def _group_view(request, group):
    view = {"id": group.id, "name": group.name, "members": list(group.members),
            "project_id": group.project_id, "user_id": group.user_id}
    if request.microversion >= (2, 64):
        view["policy"] = group.policy
        view["rules"] = dict(group.rules)
    else:
        view["policies"] = [group.policy]
        view["metadata"] = {}
    return view


def list_groups(request):
    all_projects = request.arg("all_projects")
    everyone = all_projects is not None and nova_common.flag("all_projects", all_projects)
    if everyone:
        nova_common.require_admin(request, "os_compute_api:os-server-groups:index:all_projects")
    groups = [g for g in request.model.groups.values() if g.policy is not None
              and (everyone or g.project_id == request.actor.project_id)]
    return Response(200, {"server_groups": [_group_view(request, g) for g in groups]})


def show_group(request):
    group = request.model.group(request.params["group_id"], request.actor)
    return Response(200, {"server_group": _group_view(request, group)})


def _policy(request, spec):
    if request.microversion >= (2, 64):
        nova_common.check_keys(spec, ["name", "policy", "rules"], "server_group")
        policy, rules = spec.get("policy"), spec.get("rules") or {}
    else:
        nova_common.check_keys(spec, ["name", "policies"], "server_group")
        policies = spec.get("policies")
        if not isinstance(policies, list) or len(policies) != 1:
            raise errors.BadRequest("Invalid input for field/attribute policies. Value: %r. "
                                    "Exactly one policy is expected" % (policies,))
        policy, rules = policies[0], {}
    if policy not in scheduler.POLICIES:
        raise errors.BadRequest("Invalid input for field/attribute policy. Value: %r. It must be "
                                "one of %s" % (policy, ", ".join(scheduler.POLICIES)))
    if not isinstance(rules, dict):
        raise errors.BadRequest("Invalid input for field/attribute rules. Value: %r." % (rules,))
    if rules:
        nova_common.check_keys(rules, ["max_server_per_host"], "rules")
        limit = rules.get("max_server_per_host")
        if policy != "anti-affinity":
            raise errors.BadRequest("Only anti-affinity policy supports rules.")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise errors.BadRequest("Invalid input for field/attribute max_server_per_host. "
                                    "Value: %r. A positive integer is expected" % (limit,))
    return policy, dict(rules)


def create_group(request):
    spec = request.json_object("server_group")
    name = spec.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise errors.BadRequest("Invalid input for field/attribute name. Value: %r." % (name,))
    policy, rules = _policy(request, spec)
    group = records.Group(id=str(uuid.uuid4()), name=name, project_id=request.actor.project_id,
                          user_id=request.actor.user_id, policy=policy, rules=rules)
    request.model.groups[group.id] = group
    return Response(200, {"server_group": _group_view(request, group)})


def delete_group(request):
    group = request.model.group(request.params["group_id"], request.actor)
    for member in group.members:
        server = request.model.servers.get(member)
        if server is not None and server.group_id == group.id:
            server.group_id = None
    del request.model.groups[group.id]
    return Response(204)
