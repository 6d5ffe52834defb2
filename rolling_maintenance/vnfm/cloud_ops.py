"""The cloud calls a tenant makes that the admin-side adapters do not offer.

`rolling_maintenance.cloud` lists every project's servers and groups as the
admin; a VNFM sees only its own project, creates its anti-affinity group and
waits for its deleted instances to be gone.
"""

import warnings

import openstack
from openstack.config import loader

from rolling_maintenance.cloud import alarms, servers
from rolling_maintenance.cloud.errors import CloudError, translated
from rolling_maintenance.cloud.waiting import Deadline

ANTI_AFFINITY = "anti-affinity"


def connect(**credentials):
    """`openstack.connect(**credentials)`, without the SDK's warnings about its own internals."""
    with warnings.catch_warnings(), translated():
        warnings.simplefilter("ignore")
        return openstack.connect(**credentials)


def connect_cloud(cloud, clouds_yaml=None):
    """A connection to `cloud` as named in clouds.yaml (`clouds_yaml`, or the usual files)."""
    config_files = [clouds_yaml] if clouds_yaml else None
    with translated(cloud=cloud):
        region = loader.OpenStackConfig(config_files=config_files).get_one(cloud=cloud)
        return openstack.connection.Connection(config=region)


def own_servers(conn):
    """The project's servers, oldest first: `[{"id","name","status","created_at","flavor","image"}]`."""
    with translated():
        found = list(conn.compute.servers(details=True))
    views = []
    for server in found:
        if server.status in ("DELETED", "SOFT_DELETED"):
            continue
        flavor = server.flavor or {}
        image = server.image or {}
        views.append({
            "id": server.id,
            "name": server.name,
            "status": server.status,
            "created_at": server.created_at or "",
            "flavor": flavor.get("original_name") or flavor.get("id"),
            "image": image.get("id"),
        })
    return sorted(views, key=lambda view: (view["created_at"], view["name"] or "", view["id"]))


def anti_affinity_groups(conn):
    """The project's anti-affinity groups: `[{"id","name","member_ids"}]`."""
    with translated():
        groups = list(conn.compute.server_groups())
    found = []
    for group in groups:
        policy = group.policy or (group.policies[0] if group.policies else None)
        if policy == ANTI_AFFINITY:
            found.append({"id": group.id, "name": group.name,
                          "member_ids": list(group.member_ids or [])})
    return found


def anti_affinity_members(conn):
    """Member ids of each anti-affinity group of the project, one list per group."""
    return [group["member_ids"] for group in anti_affinity_groups(conn)]


def create_anti_affinity_group(conn, name):
    """A new anti-affinity server group; returns its id."""
    with translated(name=name):
        group = conn.compute.create_server_group(name=name, policy=ANTI_AFFINITY)
    return group.id


def flavor_id(conn, flavor):
    """The id of a flavor given by id or name."""
    with translated(flavor=flavor):
        found = conn.compute.find_flavor(flavor, ignore_missing=True)
    if found is None:
        raise CloudError("not_found", "no flavor %r (by id or name)" % (flavor,), {"flavor": flavor})
    return found.id


def boot(conn, name, flavor, image, group_id=None, timeout=300.0, poll=0.2):
    """Boot one server and wait until it is ACTIVE; returns its id.

    No `image` boots without one, like the instance it stands in for.
    """
    view = servers.create_server(conn, name, flavor, image or "", group_id=group_id,
                                 wait=True, timeout=timeout, poll=poll)
    return view["id"]


def delete_and_wait(conn, server_id, timeout=300.0, poll=0.2):
    """Delete a server and wait until the cloud no longer knows it."""
    servers.delete_server(conn, server_id)
    deadline = Deadline(timeout, poll)
    while servers.server_exists(conn, server_id) is not None:
        if deadline.expired():
            raise CloudError("timeout", "server %s still exists %s s after its deletion"
                             % (server_id, timeout), {"server": server_id})
        deadline.pause()


def subscribe(conn, name, event_type, webhook_url):
    """The project's event alarm `name`, pointing at `webhook_url` (re-created if it pointed elsewhere)."""
    alarm = alarms.create_event_alarm(conn, name, event_type, webhook_url)
    rule = alarm.get("event_rule") or {}
    if alarm.get("alarm_actions") == [webhook_url] and rule.get("event_type") == event_type:
        return alarm
    alarms.delete_alarm(conn, alarm["alarm_id"])
    return alarms.create_event_alarm(conn, name, event_type, webhook_url)


def unsubscribe(conn, alarm_id):
    return alarms.delete_alarm(conn, alarm_id)
