"""A small deterministic cloud for demos, benchmarks and tests.

Same arguments, same inventory. Hosts are identical and sized so that a
`spare` fraction of their capacity is free; instances are spread round robin,
split into a couple of projects, and each project has anti-affinity pairs
(the ACT-STDBY pattern of the OPNFV Doctor sample application).
"""

import math
import random
import uuid

from rolling_maintenance.sim.model.timing import DEFAULTS

SIZES = ((1, 1024), (1, 2048), (2, 2048), (2, 4096))
INSTANCES_PER_PAIR = 8  # one extra anti-affinity pair per this many instances of a project


def _uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _check(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError("%s must be an integer >= %d, got %r" % (name, minimum, value))


def generate_inventory(hosts, instances_per_host, seed=0, spare=0.25):
    """An inventory dict of `hosts` hosts carrying `instances_per_host` each."""
    _check("hosts", hosts, 1)
    _check("instances_per_host", instances_per_host, 0)
    if not 0 <= spare < 1:
        raise ValueError("spare must be in [0, 1), got %r" % (spare,))
    rng = random.Random(seed)
    total = hosts * instances_per_host
    project_count = 2 if total >= 4 else 1
    projects = [{"id": uuid.UUID(int=rng.getrandbits(128), version=4).hex, "name": "demo%d" % (i + 1)}
                for i in range(project_count)]
    per_project = math.ceil(total / project_count) if total else 0
    instances = []
    load = [[0, 0] for _ in range(hosts)]
    for k in range(total):
        vcpus, ram = rng.choice(SIZES)
        project = projects[k // per_project]
        index = k % per_project
        host = k % hosts
        load[host][0] += vcpus
        load[host][1] += ram
        instances.append({"id": _uuid(rng), "name": "%s-vm%d" % (project["name"], index + 1),
                          "project_id": project["id"], "host": "compute-%d" % host,
                          "vcpus": vcpus, "ram_mb": ram})
    groups = _pairs(rng, projects, instances, hosts)
    free = 1.0 - spare
    vcpus = max(1, math.ceil(max(v for v, _ in load) / free))
    ram = max(1024, math.ceil(max(r for _, r in load) / free / 1024) * 1024)
    return {
        "hosts": [{"name": "compute-%d" % i, "vcpus": vcpus, "ram_mb": ram} for i in range(hosts)],
        "projects": projects,
        "groups": groups,
        "instances": instances,
        "timing": dict(DEFAULTS),
    }


def _pairs(rng, projects, instances, hosts):
    """Anti-affinity pairs of consecutive instances: round robin puts them apart."""
    if hosts < 2:
        return []
    groups = []
    for project in projects:
        members = [i for i in instances if i["project_id"] == project["id"]]
        wanted = max(1, len(members) // INSTANCES_PER_PAIR)
        for n in range(min(wanted, len(members) // 2)):
            first, second = members[2 * n], members[2 * n + 1]
            group = {"group_id": _uuid(rng), "project_id": project["id"],
                     "name": "%s-pair%d" % (project["name"], n + 1), "policy": "anti-affinity"}
            first["group_id"] = second["group_id"] = group["group_id"]
            groups.append(group)
    return groups
