"""Servers as plain dicts: listing them per host, and the create/delete a VNFM scales with."""

from rolling_maintenance.cloud import waiting
from rolling_maintenance.cloud.errors import CloudError, translated


def server_view(server):
    """A server as `{"id","name","project_id","host","status","task_state","vm_state",
    "vcpus","ram_mb","flavor"}`.

    Size comes from the flavor embedded in the server (microversion >= 2.47),
    so listing servers needs no flavor look-ups, and a flavor deleted since
    the boot still counts.
    """
    flavor = server.flavor
    if flavor is None or flavor.original_name is None:
        raise CloudError(
            "unsupported",
            f"server {server.id} has no embedded flavor: the compute API must "
            "support microversion 2.47 or later",
            {"server": server.id})
    return {
        "id": server.id,
        "name": server.name,
        "project_id": server.project_id,
        "host": server.compute_host,
        "status": server.status,
        "task_state": server.task_state,
        "vm_state": server.vm_state,
        "vcpus": flavor.vcpus,
        "ram_mb": flavor.ram,
        "flavor": flavor.original_name,
    }


def list_servers(conn, host=None):
    """Servers of every project, optionally only those on `host`.

    The host filter is sent as `compute_host`: openstacksdk turns it into
    Nova's `host` query parameter. Its own `host=` filter is matched locally
    against a field Nova never returns, and gives [] every time. Nova ignores
    the filter for non-admin callers and hides their servers' host; that
    surfaces here as `forbidden` rather than as a wrong list.
    """
    query = {"compute_host": host} if host else {}
    with translated(host=host):
        servers = [server_view(s) for s in conn.compute.servers(
            details=True, all_projects=True, **query)]
    if host:
        if any(s["host"] is None for s in servers):
            raise CloudError("forbidden",
                             "listing servers per host needs an admin token: "
                             "the cloud hides the servers' host from this caller",
                             {"host": host})
        servers = [s for s in servers if s["host"] == host]
    return servers


def get_server(conn, server_id):
    """One server as a dict; CloudError `not_found` when it does not exist."""
    with translated(server=server_id):
        return server_view(conn.compute.get_server(server_id))


def create_server(conn, name, flavor, image, group_id=None, networks="auto",
                  wait=True, timeout=300, poll=1.0, clock=None):
    """Boot one server (flavor and image by id), in server group `group_id` if given.

    With `wait`, returns once the server is ACTIVE; a server that ends in
    ERROR gives CloudError `server_error`.
    """
    attrs = {"name": name, "flavor_id": flavor, "image_id": image, "networks": networks}
    if group_id:
        attrs["scheduler_hints"] = {"group": group_id}
    with translated(name=name):
        created = conn.compute.create_server(**attrs)
    if not wait:
        return {"id": created.id, "name": name, "status": created.status or "BUILD"}
    return wait_for_status(conn, created.id, "ACTIVE", timeout, poll, clock)


def delete_server(conn, server_id):
    """Ask Nova to delete the server; False when it was already gone."""
    try:
        with translated(server=server_id):
            conn.compute.delete_server(server_id, ignore_missing=False)
    except CloudError as exc:
        if exc.code == "not_found":
            return False
        raise
    return True


def wait_for_status(conn, server_id, status, timeout, poll, clock=None):
    """Poll until the server has `status`; ERROR or the deadline end the wait with a CloudError."""
    deadline = waiting.Deadline(timeout, poll, clock)
    while True:
        view = get_server(conn, server_id)
        if view["status"] == status:
            return view
        if view["status"] == "ERROR":
            raise CloudError("server_error", f"server {server_id} went to ERROR",
                             {"server": server_id, "wanted": status})
        if deadline.expired():
            raise CloudError("timeout",
                             f"server {server_id} not {status} after {timeout} s "
                             f"(status {view['status']})",
                             {"server": server_id, "wanted": status, "status": view["status"]})
        deadline.pause()


def server_exists(conn, server_id):
    """The server as `conn.compute.get_server` returns it, or None once it is gone."""
    try:
        with translated(server=server_id):
            return conn.compute.get_server(server_id)
    except CloudError as exc:
        if exc.code == "not_found":
            return None
        raise

