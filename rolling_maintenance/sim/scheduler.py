"""Host selection, as Nova's filter scheduler decides it for our purposes.

Pure functions over plain values so the rules can be tested on their own:
a host is a candidate if its nova-compute service is enabled and up, it has
room (as Placement counts it: (total - reserved) * allocation ratio - used)
and the server group policy holds, against the scheduler's view of where the
group's members are (which lags a live migration). Among the
candidates the choice is deterministic: group preference for the soft
policies, then most free RAM (Nova's default RAM weigher spreads), then name.
"""

import dataclasses

HARD_POLICIES = ("anti-affinity", "affinity")
SOFT_POLICIES = ("soft-anti-affinity", "soft-affinity")
POLICIES = HARD_POLICIES + SOFT_POLICIES


@dataclasses.dataclass(frozen=True)
class HostView:
    name: str
    enabled: bool
    up: bool
    free_vcpus: int
    free_ram_mb: int


@dataclasses.dataclass(frozen=True)
class Placement:
    """What is to be placed.

    `members` holds, for every OTHER member of the server's group, the set of
    hosts where that member holds resources (two while it migrates); members
    without a host (in error) have an empty set and are ignored.
    """

    vcpus: int
    ram_mb: int
    policy: str = None
    rules: dict = dataclasses.field(default_factory=dict)
    members: tuple = ()
    source: str = None


def _members_on(host_name, placement):
    return sum(1 for hosts in placement.members if host_name in hosts)


def rejection(host, placement):
    """Why `host` cannot take `placement`, or None when it can."""
    if host.name == placement.source:
        return "%s is the host the server is on" % host.name
    if not host.enabled:
        return "%s is disabled" % host.name
    if not host.up:
        return "%s is down" % host.name
    if host.free_vcpus < placement.vcpus:
        return "%s has %d free vcpus, %d needed" % (host.name, host.free_vcpus, placement.vcpus)
    if host.free_ram_mb < placement.ram_mb:
        return "%s has %d MB free RAM, %d needed" % (host.name, host.free_ram_mb, placement.ram_mb)
    placed = [hosts for hosts in placement.members if hosts]
    if placement.policy == "anti-affinity":
        limit = int((placement.rules or {}).get("max_server_per_host", 1))
        if _members_on(host.name, placement) >= limit:
            return "%s already holds a member of the anti-affinity group" % host.name
    if placement.policy == "affinity" and any(host.name not in hosts for hosts in placed):
        return "%s does not hold every member of the affinity group" % host.name
    return None


def _preference(host, placement):
    members = _members_on(host.name, placement)
    if placement.policy == "soft-affinity":
        group_rank = -members
    elif placement.policy == "soft-anti-affinity":
        group_rank = members
    else:
        group_rank = 0
    return (group_rank, -host.free_ram_mb, -host.free_vcpus, host.name)


def candidates(hosts, placement):
    """Names of the hosts that can take `placement`, best first."""
    fitting = [h for h in hosts if rejection(h, placement) is None]
    return [h.name for h in sorted(fitting, key=lambda h: _preference(h, placement))]


def select(hosts, placement):
    """The best host for `placement`, or None when no host is valid."""
    found = candidates(hosts, placement)
    return found[0] if found else None
