"""What must hold at every moment: no host over its capacity, no hard
server-group policy broken. A server counts on every host it claims."""

from rolling_maintenance.audit.cloud import Cloud


def placement_violations(cloud):
    """Messages for each host over capacity (vcpus or ram), anti-affinity
    members sharing a host, affinity members on several hosts; [] when all holds."""
    found = []
    used = cloud.usage()
    for name in sorted(used):
        vcpus, ram_mb = used[name]
        max_vcpus, max_ram_mb = cloud.capacity.get(name, (0, 0))
        if vcpus > max_vcpus:
            found.append("host %s: %d vcpus used of %d" % (name, vcpus, max_vcpus))
        if ram_mb > max_ram_mb:
            found.append("host %s: %d MB ram used of %d MB" % (name, ram_mb, max_ram_mb))
    for group, by_host in sorted(cloud.members_by_host().items()):
        policy = cloud.policies.get(group)
        if policy == "anti-affinity":
            found.extend("anti-affinity group %s: %s share host %s" % (group, ", ".join(ids), host)
                         for host, ids in sorted(by_host.items()) if len(ids) > 1)
        elif policy == "affinity" and len(by_host) > 1:
            where = "; ".join("%s on %s" % (", ".join(ids), host) for host, ids in sorted(by_host.items()))
            found.append("affinity group %s: members on %d hosts (%s)" % (group, len(by_host), where))
    return found


def inventory_violations(inventory):
    """`placement_violations` of a cloud in the inventory format."""
    return placement_violations(Cloud.from_inventory(inventory))
