"""Clouds for the end-to-end tests and the demo, each project one application:
an ACT-STDBY pair in an anti-affinity group plus non-redundant instances."""

import random


def _application(project, pair_hosts, extra_hosts, vcpus, ram_mb):
    group = "%s-pair" % project
    instances = [
        {"id": "%s-%s" % (project, role), "name": "%s-%s" % (project, role), "project_id": project,
         "host": host, "vcpus": vcpus, "ram_mb": ram_mb, "group_id": group}
        for role, host in zip(("act", "stdby"), pair_hosts, strict=True)
    ]
    instances += [
        {"id": "%s-vm%d" % (project, i), "name": "%s-vm%d" % (project, i), "project_id": project,
         "host": host, "vcpus": vcpus, "ram_mb": ram_mb}
        for i, host in enumerate(extra_hosts)
    ]
    groups = [{"group_id": group, "project_id": project, "name": group, "policy": "anti-affinity"}]
    return instances, groups


def doctor():
    """The OPNFV Doctor maintenance case: 3 computes, 2 instances each, all
    capacity used, one project with an ACT-STDBY pair."""
    hosts = [{"name": "compute-%d" % i, "vcpus": 2, "ram_mb": 4096} for i in range(3)]
    instances, groups = _application(
        "doctor", ["compute-0", "compute-1"], ["compute-0", "compute-1", "compute-2", "compute-2"],
        vcpus=1, ram_mb=2048)
    return {"hosts": hosts, "projects": [{"id": "doctor", "name": "doctor"}],
            "instances": instances, "groups": groups, "timing": _timing()}


# Every instance of `two_sizes`: vcpus, ram_mb.
INSTANCE_SIZE = (2, 4096)
# An anti-affinity pair needs a third host to move to while one is maintained.
MIN_HOSTS = 3


def two_sizes(hosts=8, seed=1, extras_per_project=None):
    """`hosts` computes of two sizes (half 8 vcpus / 16 GiB, half 16 / 32 GiB),
    two projects, about half the capacity used, placed at random by `seed`.

    Each project spreads its instances over the hosts that were under half
    full when it came; an instance never goes where it does not fit, and the
    two members of a pair never share a host.
    """
    if isinstance(hosts, bool) or not isinstance(hosts, int) or hosts < MIN_HOSTS:
        raise ValueError("hosts must be an integer >= %d, got %r" % (MIN_HOSTS, hosts))
    rng = random.Random(seed)
    names = ["compute-%d" % i for i in range(hosts)]
    host_list = [{"name": n, "vcpus": 8 if i % 2 == 0 else 16, "ram_mb": 16384 if i % 2 == 0 else 32768}
                 for i, n in enumerate(names)]
    extras = extras_per_project if extras_per_project is not None else max(2, hosts)
    # Room left on each host, and room left before each host is half full.
    free = {h["name"]: [h["vcpus"], h["ram_mb"]] for h in host_list}
    below_half = {h["name"]: [h["vcpus"] // 2, h["ram_mb"] // 2] for h in host_list}
    instances, groups = [], []
    for project in ("tenant-a", "tenant-b"):
        spread = [n for n in names if _fits(below_half[n])] or names
        pair_hosts = []
        for drawn in rng.sample(names, 2):
            pair_hosts.append(_with_room(rng, drawn, names, free, avoid=pair_hosts))
        extra_hosts = [_with_room(rng, rng.choice(spread), spread, free) for _ in range(extras)]
        for host in pair_hosts + extra_hosts:
            below_half[host] = [below_half[host][0] - INSTANCE_SIZE[0], below_half[host][1] - INSTANCE_SIZE[1]]
        more, more_groups = _application(project, pair_hosts, extra_hosts, *INSTANCE_SIZE)
        instances += more
        groups += more_groups
    projects = [{"id": p, "name": p} for p in ("tenant-a", "tenant-b")]
    return {"hosts": host_list, "projects": projects, "instances": instances, "groups": groups,
            "timing": _timing()}


def _fits(room):
    return room[0] >= INSTANCE_SIZE[0] and room[1] >= INSTANCE_SIZE[1]


def _with_room(rng, drawn, candidates, free, avoid=()):
    """`drawn` if an instance fits there, else another draw among the
    `candidates` (then any host) that have room; the room is then taken."""
    host = drawn
    if host in avoid or not _fits(free[host]):
        roomy = [n for n in candidates if n not in avoid and _fits(free[n])]
        roomy = roomy or [n for n in free if n not in avoid and _fits(free[n])]
        if not roomy:
            raise ValueError("no room left for another instance of %d vcpus and %d MB"
                             % INSTANCE_SIZE)
        host = rng.choice(roomy)
    free[host] = [free[host][0] - INSTANCE_SIZE[0], free[host][1] - INSTANCE_SIZE[1]]
    return host


def _timing():
    return {"live_migration_s_per_gib": 5, "cold_migration_s_per_gib": 10, "migration_min_s": 5,
            "boot_s": 10, "host_maintenance_s": 60}
