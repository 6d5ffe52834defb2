"""Seeded uneven clouds for the benchmark, like real ones: hosts of three
sizes, RAM-heavy, CPU-heavy and balanced flavours, each host filled to all
but a share of its binding resource drawn between none and twice the
given spare, anti-affinity groups of 2 to 5
members with `max_impacted_members` 1 or 2 and `recovery_time` 0 to 180 s,
affinity pairs and one soft-anti-affinity group.

Every cloud can be maintained: a serial plan found by the solver proves it
(instances are dropped until one is found). Timing is the uniform clouds'
(`bench_clouds.TIMING`).
"""

import random

from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.offline.bench_clouds import TIMING
from rolling_maintenance.planner.placement.serial_witness import serial_witness

GIB = 1024
# (vcpus, ram GiB): three host sizes.
HOST_SIZES = ((48, 192), (64, 384), (96, 512))
# (vcpus, ram GiB): RAM-heavy, CPU-heavy and balanced flavours.
FLAVOURS = ((2, 16), (4, 32), (8, 8), (16, 16), (2, 4), (4, 8), (8, 32))
GROUPED_SHARE = 0.3
AFFINITY_PAIRS_SHARE = 0.03
SOFT_GROUP_MEMBERS = 6


def _fill(rng, vcpus, ram_gib, spare):
    """Flavours for one host, added while both its vcpus and its ram stay
    within all but `spare` of it: a fifth of them at random, the others the ones
    whose shape is closest to the room left, so both fill up."""
    room_vcpus, room_gib = vcpus * (1 - spare), ram_gib * (1 - spare)
    chosen = []
    while True:
        fitting = [f for f in FLAVOURS if f[0] <= room_vcpus and f[1] <= room_gib]
        if not fitting:
            return chosen
        if rng.random() < 0.2:
            flavour = rng.choice(fitting)
        else:
            shape = room_gib / max(room_vcpus, 1e-9)
            flavour = min(fitting, key=lambda f: (abs(f[1] / f[0] - shape), rng.random()))
        chosen.append(flavour)
        room_vcpus -= flavour[0]
        room_gib -= flavour[1]


def _hosts_and_instances(rng, hosts, spare):
    host_list, instances, by_host = [], [], []
    for h in range(hosts):
        vcpus, ram_gib = HOST_SIZES[h % len(HOST_SIZES)]
        name = "compute-%05d" % h
        host_list.append({"name": name, "vcpus": vcpus, "ram_mb": ram_gib * GIB})
        ids = []
        host_spare = rng.uniform(0, 2 * spare)
        for n, (flavour_vcpus, flavour_gib) in enumerate(_fill(rng, vcpus, ram_gib, host_spare)):
            instances.append({"id": "vm-%05d-%02d" % (h, n), "project_id": "project-%03d" % rng.randrange(50),
                              "host": name, "vcpus": flavour_vcpus, "ram_mb": flavour_gib * GIB})
            ids.append(len(instances) - 1)
        rng.shuffle(ids)
        by_host.append(ids)
    return host_list, instances, by_host


def _group(groups, instances, members, policy, **limits):
    group_id = "group-%05d" % len(groups)
    project = instances[members[0]]["project_id"]
    for index in members:
        instances[index]["group_id"] = group_id
        instances[index]["project_id"] = project
    groups.append(dict({"group_id": group_id, "project_id": project, "policy": policy}, **limits))


def uneven_cloud(hosts, spare, seed=1):
    """An inventory dict of `hosts` uneven hosts with about `spare` (0..1) free."""
    rng = random.Random(seed)
    host_list, instances, free = _hosts_and_instances(rng, hosts, spare)
    groups = []
    for _ in range(int(len(instances) * AFFINITY_PAIRS_SHARE / 2)):
        h = rng.randrange(hosts)
        if len(free[h]) >= 2:
            _group(groups, instances, [free[h].pop(), free[h].pop()], "affinity")
    soft = [free[h].pop() for h in rng.sample(range(hosts), min(SOFT_GROUP_MEMBERS, hosts)) if free[h]]
    if len(soft) >= 2:
        _group(groups, instances, soft, "soft-anti-affinity", max_instances_per_host=2)
    wanted, grouped = int(len(instances) * GROUPED_SHARE), 0
    while grouped < wanted and hosts >= 2:
        chosen = [h for h in rng.sample(range(hosts), min(rng.randint(2, 5), hosts)) if free[h]]
        if len(chosen) < 2:
            if sum(1 for ids in free if ids) < 2:
                break
            continue
        members = [free[h].pop() for h in chosen]
        _group(groups, instances, members, "anti-affinity", max_instances_per_host=1,
               max_impacted_members=rng.randint(1, min(2, len(members) - 1)),
               recovery_time=rng.choice((0, 60, 120, 180)))
        grouped += len(members)
    inventory = {"hosts": host_list, "instances": instances, "groups": groups, "timing": dict(TIMING)}
    _trim_until_maintainable(inventory)
    return inventory


def _trim_until_maintainable(inventory):
    """Drop instances until `serial_witness` finds a serial plan: the
    biggest instance of the fullest host it could not empty, each time."""
    while True:
        snapshot = parse_snapshot(inventory)
        left = serial_witness(snapshot, sorted(snapshot.hosts))[1]
        if not left:
            return
        fullest = max(left, key=lambda name: (snapshot.used[name], name))
        biggest = max(snapshot.by_host[fullest], key=lambda i: (i.vcpus, i.ram_mb, i.id))
        inventory["instances"] = [i for i in inventory["instances"] if i["id"] != biggest.id]


UNEVEN_SCENARIOS = {
    "uneven06-40": {"hosts": 40, "spare": 0.06},
    "uneven10-60": {"hosts": 60, "spare": 0.10},
    "uneven30-200": {"hosts": 200, "spare": 0.30},
}
