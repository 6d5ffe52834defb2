"""Migration records: in-progress live moves of a server, and all of them."""

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.model.migrations import IN_PROGRESS, memory_copied
from rolling_maintenance.sim.web import nova_common, stamps
from rolling_maintenance.sim.web.request import Response

MIGRATION_FILTERS = {
    "instance_uuid": lambda m: m.server_id,
    "migration_type": lambda m: m.migration_type,
    "status": lambda m: m.status,
    "source_compute": lambda m: m.source,
    "user_id": lambda m: m.user_id,
    "project_id": lambda m: m.project_id,
}


def _with_versioned_ids(view, migration, mv):
    """The fields both migration views gain in 2.59 (uuid) and 2.80 (owner)."""
    if mv >= (2, 59):
        view["uuid"] = migration.uuid
    if mv >= (2, 80):
        view["user_id"] = migration.user_id
        view["project_id"] = migration.project_id
    return view


def _server_migration_view(request, migration):
    mv = request.microversion
    ram = request.model.servers[migration.server_id].flavor.ram_mb * 1024 * 1024
    copied = int(ram * memory_copied(migration, request.model.now))
    view = {
        "id": migration.id, "server_uuid": migration.server_id, "status": migration.status,
        "source_compute": migration.source, "source_node": migration.source,
        "dest_compute": migration.dest, "dest_node": migration.dest, "dest_host": "",
        "created_at": stamps.micro(request.model, migration.created),
        "updated_at": stamps.micro(request.model, migration.updated),
        "memory_total_bytes": ram, "memory_processed_bytes": copied, "memory_remaining_bytes": ram - copied,
        "disk_total_bytes": 0, "disk_processed_bytes": 0, "disk_remaining_bytes": 0,
    }
    return _with_versioned_ids(view, migration, mv)


def list_server_migrations(request):
    nova_common.require_admin(request, "os_compute_api:servers:migrations:index")
    server = request.model.server(request.params["server_id"], request.actor)
    found = request.model.in_progress_live(server.id)
    return Response(200, {"migrations": [_server_migration_view(request, m) for m in found]})


def show_server_migration(request):
    nova_common.require_admin(request, "os_compute_api:servers:migrations:show")
    server = request.model.server(request.params["server_id"], request.actor)
    wanted = request.params["migration_id"]
    for migration in request.model.in_progress_live(server.id):
        if str(migration.id) == wanted:
            return Response(200, {"migration": _server_migration_view(request, migration)})
    raise errors.NotFound("In-progress live migration %s is not found for server %s."
                          % (wanted, server.id))


def _flavor_number(model, migration):
    """Nova shows the flavor's internal integer id here, not its flavor id."""
    server = model.servers.get(migration.server_id)
    if server is None:
        return None
    return next((number for number, name in enumerate(model.flavors, start=1)
                 if name == server.flavor.id), None)


def _migration_view(request, migration):
    mv = request.microversion
    flavor_id = _flavor_number(request.model, migration)
    view = {
        "id": migration.id, "instance_uuid": migration.server_id, "status": migration.status,
        "source_compute": migration.source, "source_node": migration.source,
        "dest_compute": migration.dest, "dest_node": migration.dest,
        # Nova leaves the destination's IP unset on a live migration's record.
        "dest_host": None if migration.kind == "live" else "",
        "old_instance_type_id": flavor_id, "new_instance_type_id": flavor_id,
        "created_at": stamps.micro(request.model, migration.created),
        "updated_at": stamps.micro(request.model, migration.updated),
    }
    if mv >= (2, 23):
        view["migration_type"] = migration.migration_type
        if migration.kind == "live" and migration.status in IN_PROGRESS:
            base = "%s/compute/v2.1/servers/%s/migrations/%s" % (
                request.base_url, migration.server_id, migration.id)
            view["links"] = [{"rel": "self", "href": base}, {"rel": "bookmark", "href": base}]
    return _with_versioned_ids(view, migration, mv)


def list_migrations(request):
    nova_common.require_admin(request, "os_compute_api:os-migrations:index")
    wanted = [(field, getter, request.arg(field)) for field, getter in MIGRATION_FILTERS.items()
              if request.arg(field) is not None]
    host = request.arg("host")
    found = [m for m in request.model.migrations.values()
             if all(str(getter(m)) == value for _, getter, value in wanted)
             and (host is None or host in (m.source, m.dest))]
    found.sort(key=lambda m: (m.created, m.id), reverse=True)
    items = [(m.uuid, _migration_view(request, m)) for m in found]
    if request.microversion >= (2, 59):
        page, extra = nova_common.paginate(request, items, "/os-migrations", "migrations_links")
    else:
        page, extra = [view for _, view in items], {}
    body = {"migrations": page}
    body.update(extra)
    return Response(200, body)
