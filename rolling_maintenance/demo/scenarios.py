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


def two_sizes(hosts=8, seed=1, extras_per_project=None):
    """`hosts` computes of two sizes (half 8 vcpus / 16 GiB, half 16 / 32 GiB),
    two projects, about half the capacity used, placed at random by `seed`."""
    rng = random.Random(seed)
    names = ["compute-%d" % i for i in range(hosts)]
    host_list = [{"name": n, "vcpus": 8 if i % 2 == 0 else 16, "ram_mb": 16384 if i % 2 == 0 else 32768}
                 for i, n in enumerate(names)]
    extras = extras_per_project if extras_per_project is not None else max(2, hosts)
    free = {h["name"]: [h["vcpus"] // 2, h["ram_mb"] // 2] for h in host_list}
    instances, groups = [], []
    for project in ("tenant-a", "tenant-b"):
        pair_hosts = rng.sample(names, 2)
        extra_hosts = []
        for _ in range(extras):
            fits = [n for n in names if free[n][0] >= 2 and free[n][1] >= 4096]
            host = rng.choice(fits)
            extra_hosts.append(host)
        for host in pair_hosts + extra_hosts:
            free[host][0] -= 2
            free[host][1] -= 4096
        more, more_groups = _application(project, pair_hosts, extra_hosts, vcpus=2, ram_mb=4096)
        instances += more
        groups += more_groups
    projects = [{"id": p, "name": p} for p in ("tenant-a", "tenant-b")]
    return {"hosts": host_list, "projects": projects, "instances": instances, "groups": groups,
            "timing": _timing()}


def _timing():
    return {"live_migration_s_per_gib": 5, "cold_migration_s_per_gib": 10, "migration_min_s": 5,
            "boot_s": 10, "host_maintenance_s": 60}
