"""Seeded clouds for the benchmark: uniform hosts, each holding 20
instances that use all but the given share of it, some in anti-affinity
groups of 2 to 5 members on distinct hosts, at most one impacted at once.

Host maintenance (a firmware update and a reboot, 30 min) dominates the
moves (2 s/GiB live, about 4 Gbit/s), as on the clouds the project targets.
"""

import random

HOST_VCPUS = 80
HOST_RAM_MB = 160 * 1024
INSTANCES_PER_HOST = 20
FLAVOURS_GIB = (2, 4, 6, 8, 10, 12)
TIMING = {"host_maintenance_s": 1800, "live_migration_s_per_gib": 2, "cold_migration_s_per_gib": 4}
GROUPED_SHARE = 0.3


def _host_load(rng, target_gib):
    """20 sizes in GiB adding up to `target_gib` (the last one adjusts)."""
    while True:
        sizes = [rng.choice(FLAVOURS_GIB) for _ in range(INSTANCES_PER_HOST - 1)]
        last = target_gib - sum(sizes)
        if 1 <= last <= 16:
            return sizes + [last]


def bench_cloud(hosts, spare, seed=1, instances_per_host=INSTANCES_PER_HOST):
    """An inventory dict of `hosts` hosts with `spare` (0..1) of the ram free."""
    if instances_per_host != INSTANCES_PER_HOST:
        raise ValueError("the benchmark clouds have %d instances per host" % INSTANCES_PER_HOST)
    rng = random.Random(seed)
    target_gib = int(HOST_RAM_MB / 1024 * (1 - spare))
    host_list, instances = [], []
    by_host = []
    for h in range(hosts):
        name = "compute-%05d" % h
        host_list.append({"name": name, "vcpus": HOST_VCPUS, "ram_mb": HOST_RAM_MB})
        ids = []
        for n, gib in enumerate(_host_load(rng, target_gib)):
            instance_id = "vm-%05d-%02d" % (h, n)
            instances.append({"id": instance_id, "project_id": "project-%03d" % rng.randrange(50),
                              "host": name, "vcpus": max(1, gib // 2), "ram_mb": gib * 1024})
            ids.append(len(instances) - 1)
        by_host.append(ids)
    groups = []
    free = [list(ids) for ids in by_host]
    for lst in free:
        rng.shuffle(lst)
    wanted = int(len(instances) * GROUPED_SHARE)
    grouped = 0
    while grouped < wanted and hosts >= 2:
        size = min(rng.randint(2, 5), hosts)
        chosen = [h for h in rng.sample(range(hosts), size) if free[h]]
        if len(chosen) < 2:
            continue
        group_id = "group-%05d" % len(groups)
        project = instances[free[chosen[0]][-1]]["project_id"]
        for h in chosen:
            member = instances[free[h].pop()]
            member["group_id"] = group_id
            member["project_id"] = project
        groups.append({"group_id": group_id, "project_id": project, "policy": "anti-affinity",
                       "max_impacted_members": 1, "recovery_time": 60, "max_instances_per_host": 1})
        grouped += len(chosen)
    return {"hosts": host_list, "instances": instances, "groups": groups, "timing": dict(TIMING)}


SCENARIOS = {
    "spare10-100x20": {"hosts": 100, "spare": 0.10, "serial": True},
    "spare25-100x20": {"hosts": 100, "spare": 0.25, "serial": True},
    "spare10-1000x20": {"hosts": 1000, "spare": 0.10, "serial": True},
    "plan-10000x20": {"hosts": 10000, "spare": 0.10, "serial": False},
}
