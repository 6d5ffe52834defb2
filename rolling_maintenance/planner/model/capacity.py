"""How full each host is: what the admin checks before and during a session."""

from rolling_maintenance.planner.model.snapshot import parse_snapshot


def host_capacity(snapshot, name):
    """One host's size, use and room (room is negative when overcommitted).

    `vcpus` and `ram_mb` are what Nova lets the host take ((total - reserved)
    * allocation ratio); `total_vcpus` and `total_ram_mb` what it has."""
    host = snapshot.hosts[name]
    used_vcpus, used_ram_mb = snapshot.used[name]
    return {
        "enabled": host.enabled,
        "vcpus": host.vcpus,
        "ram_mb": host.ram_mb,
        "total_vcpus": host.total_vcpus,
        "total_ram_mb": host.total_ram_mb,
        "used_vcpus": used_vcpus,
        "used_ram_mb": used_ram_mb,
        "free_vcpus": host.vcpus - used_vcpus,
        "free_ram_mb": host.ram_mb - used_ram_mb,
        "instances": len(snapshot.by_host[name]),
    }


def capacity_report(snapshot):
    """`{"hosts": {name: {...}}, "totals": {...}}` for a snapshot dict.

    Per host: enabled, vcpus, ram_mb, total_*, used_*, free_*, instances. Totals add
    them up over every host, with free_* counting only room that exists (an
    overcommitted host adds nothing rather than hiding another host's room),
    plus `hosts`, `enabled_hosts` and `unplaced_instances` (on no host).
    """
    snap = parse_snapshot(snapshot)
    hosts = {name: host_capacity(snap, name) for name in snap.hosts}
    totals = {"hosts": len(hosts), "enabled_hosts": sum(1 for h in hosts.values() if h["enabled"])}
    for key in ("vcpus", "ram_mb", "total_vcpus", "total_ram_mb", "used_vcpus", "used_ram_mb",
                "instances"):
        totals[key] = sum(h[key] for h in hosts.values())
    for key in ("free_vcpus", "free_ram_mb"):
        totals[key] = sum(max(0, h[key]) for h in hosts.values())
    totals["unplaced_instances"] = sum(1 for i in snap.instances.values() if i.host is None)
    return {"hosts": hosts, "totals": totals}
