"""Hand-made clouds (in the simulator's state format) and event logs for the audit's tests."""

from rolling_maintenance.audit import events as ev


def host(name, vcpus=2, ram_mb=4096, disabled=False, work=None):
    return {"name": name, "vcpus": vcpus, "ram_mb": ram_mb, "status": "disabled" if disabled else "enabled",
            "work": {"state": "running" if work else "idle", "label": work}}


def vm(server_id, on, vcpus=1, ram_mb=1024, group=None, project="p"):
    return {"id": server_id, "host": on, "vcpus": vcpus, "ram_mb": ram_mb, "group": group,
            "project": project, "vm_state": "active"}


def state(hosts=None, servers=(), groups=(), now=0.0, migrations=()):
    """The cloud before the log: three 2-vcpu hosts c0, c1, c2 unless told."""
    hosts = hosts if hosts is not None else [host("c0"), host("c1"), host("c2")]
    return {"now": now, "hosts": list(hosts), "servers": list(servers),
            "groups": [{"id": g, "policy": p} for g, p in groups], "migrations": list(migrations)}


def event(t, type_, **fields):
    return dict(fields, t=t, type=type_)


def numbered(events):
    """The events with the simulator's sequence numbers."""
    return [dict(e, seq=n) for n, e in enumerate(events, 1)]


def move(t_start, t_end, server, source, dest, outcome=ev.MIGRATION_FINISHED, kind="live"):
    fields = {"server": server, "source": source, "dest": dest, "kind": kind}
    return [event(t_start, ev.MIGRATION_STARTED, **fields), event(t_end, outcome, **fields)]


def maintain(t_start, t_end, host_name, label="upgrade", moves=()):
    """Disable, move what is given, work, enable: one host's maintenance."""
    body = [event(t_start, ev.SERVICE_DISABLED, host=host_name)]
    for moved in moves:
        body += moved
    work_start = max([t_start] + [e["t"] for e in body])
    return body + [event(work_start, ev.HOST_WORK_STARTED, host=host_name, label=label),
                   event(t_end, ev.HOST_WORK_FINISHED, host=host_name, label=label),
                   event(t_end, ev.SERVICE_ENABLED, host=host_name)]
