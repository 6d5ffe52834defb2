"""Small clouds for the planner tests, written the way the inventory is."""


def host(name, vcpus=2, ram_mb=4096, **extra):
    return dict({"name": name, "vcpus": vcpus, "ram_mb": ram_mb}, **extra)


def vm(instance_id, on, project="p1", vcpus=1, ram_mb=1024, group=None, **extra):
    return dict({"id": instance_id, "project_id": project, "host": on, "vcpus": vcpus,
                 "ram_mb": ram_mb, "group_id": group, "status": "ACTIVE"}, **extra)


def group(group_id, policy, project="p1"):
    return {"group_id": group_id, "project_id": project, "policy": policy}


def cloud(hosts, instances, groups=()):
    return {"hosts": list(hosts), "instances": list(instances), "groups": list(groups)}


def progress(hosts=(), maintained=(), rounds=0, max_rounds=2, **extra):
    return dict({"hosts": list(hosts), "maintained": list(maintained), "scale_in_rounds": rounds,
                 "max_scale_in_rounds": max_rounds}, **extra)


def doctor_cloud():
    """The OPNFV Doctor maintenance case: 3 computes of 2 vcpus, 2 instances
    on each, all capacity used, an ACT-STDBY anti-affinity pair."""
    return cloud(
        [host("compute-0"), host("compute-1"), host("compute-2")],
        [vm("act", "compute-0", group="ha"), vm("n1", "compute-0"),
         vm("stdby", "compute-1", group="ha"), vm("n2", "compute-1"),
         vm("n3", "compute-2"), vm("n4", "compute-2")],
        [group("ha", "anti-affinity")])


def without(snapshot, *instance_ids):
    return dict(snapshot, instances=[i for i in snapshot["instances"] if i["id"] not in instance_ids])


def hosts_of(snapshot):
    return {i["id"]: i["host"] for i in snapshot["instances"]}


def scale_in_one_per_project(snapshot, step):
    """A project's answer to SCALE_IN: drop one of its instances asked
    about that is in no group, from the least loaded host (fewest
    instances, then name), then by id."""
    asked = {i for ids in step["instances_by_project"].values() for i in ids}
    count = {}
    for instance in snapshot["instances"]:
        count[instance["host"]] = count.get(instance["host"], 0) + 1
    chosen = {}
    for instance in snapshot["instances"]:
        if instance.get("group_id") or instance["id"] not in asked:
            continue
        key = (count[instance["host"]], instance["host"], instance["id"])
        best = chosen.get(instance["project_id"])
        if best is None or key < best[0]:
            chosen[instance["project_id"]] = (key, instance["id"])
    return without(snapshot, *(instance_id for _, instance_id in chosen.values()))
