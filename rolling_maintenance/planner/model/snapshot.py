"""The cloud snapshot (the "inventory" format) read into indexed structures.

Planner functions take plain dicts. Reading them once into these small
objects gives every rule direct access by host and by group, and reports bad
input up front with the offending entry named. Everything is kept in name /
id order, so a decision never depends on the order the cloud listed things.
"""

import bisect

from rolling_maintenance.planner.model import fields
from rolling_maintenance.planner.model.errors import InvalidInput
from rolling_maintenance.workflow.contract import INSTANCE_ACTIONS as MOVE_TYPES

POLICIES = ("anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity")


class Host:
    """A host; `vcpus` and `ram_mb` are what Nova's scheduler lets it take, as Placement
    counts it: `(total - reserved) * allocation_ratio`; the totals are kept apart."""

    __slots__ = ("enabled", "name", "ram_mb", "raw", "total_ram_mb", "total_vcpus", "vcpus")

    def __init__(self, name, vcpus, ram_mb, enabled, raw, total_vcpus=None, total_ram_mb=None):
        self.name = name
        self.vcpus = vcpus
        self.ram_mb = ram_mb
        self.total_vcpus = vcpus if total_vcpus is None else total_vcpus
        self.total_ram_mb = ram_mb if total_ram_mb is None else total_ram_mb
        self.enabled = enabled
        self.raw = raw


class Instance:
    """An instance; `host` is None for one placed nowhere (e.g. shelved)."""

    __slots__ = (
        "group_id",
        "host",
        "id",
        "migration_type",
        "project_id",
        "ram_mb",
        "raw",
        "status",
        "vcpus",
    )

    def __init__(self, instance_id, project_id, host, vcpus, ram_mb, group_id, status, migration_type, raw):
        self.id = instance_id
        self.project_id = project_id
        self.host = host
        self.vcpus = vcpus
        self.ram_mb = ram_mb
        self.group_id = group_id
        self.status = status
        self.migration_type = migration_type
        self.raw = raw


class Group:
    __slots__ = ("group_id", "policy", "project_id", "raw")

    def __init__(self, group_id, project_id, policy, raw):
        self.group_id = group_id
        self.project_id = project_id
        self.policy = policy
        self.raw = raw


def _instance_id(instance):
    return instance.id


class Snapshot:
    """Hosts, instances and groups with the indexes the planner needs.

    `by_host[name]`: the instances on that host, sorted by id; `used[name]`:
    `(vcpus, ram_mb)` they take; `by_group[group_id]`: the members.
    """

    def __init__(self, hosts, instances, groups, raw=None):
        self.raw = raw or {}
        self.hosts = {h.name: h for h in sorted(hosts, key=lambda h: h.name)}
        self.instances = {i.id: i for i in sorted(instances, key=_instance_id)}
        self.groups = {g.group_id: g for g in sorted(groups, key=lambda g: g.group_id)}
        self.by_host = {name: [] for name in self.hosts}
        self.by_group = {}
        used = {name: [0, 0] for name in self.hosts}
        for instance in self.instances.values():
            if instance.group_id is not None:
                self.by_group.setdefault(instance.group_id, []).append(instance)
            if instance.host is not None:
                self.by_host[instance.host].append(instance)
                total = used[instance.host]
                total[0] += instance.vcpus
                total[1] += instance.ram_mb
        self.used = {name: (v, r) for name, (v, r) in used.items()}

    def free(self, name):
        """`(vcpus, ram_mb)` left on a host; negative when it is overcommitted."""
        host = self.hosts[name]
        vcpus, ram_mb = self.used[name]
        return host.vcpus - vcpus, host.ram_mb - ram_mb

    def members_per_host(self, group_id):
        """`{host: number of members of the group on it}`."""
        counts = {}
        for member in self.by_group.get(group_id, ()):
            if member.host is not None:
                counts[member.host] = counts.get(member.host, 0) + 1
        return counts

    def move(self, instance_id, to):
        """Put an instance on host `to`, keeping every index right."""
        instance = self.instances[instance_id]
        source = instance.host
        if source is not None:
            self.by_host[source].remove(instance)
            vcpus, ram_mb = self.used[source]
            self.used[source] = (vcpus - instance.vcpus, ram_mb - instance.ram_mb)
        instance.host = to
        bisect.insort(self.by_host[to], instance, key=_instance_id)
        vcpus, ram_mb = self.used[to]
        self.used[to] = (vcpus + instance.vcpus, ram_mb + instance.ram_mb)

    def to_dict(self):
        """The snapshot as plain data again: extra keys kept, each instance on
        the host it is on now."""
        raw = dict(self.raw)
        raw["hosts"] = [dict(h.raw) for h in self.hosts.values()]
        raw["instances"] = [dict(i.raw, host=i.host) for i in self.instances.values()]
        raw["groups"] = [dict(g.raw) for g in self.groups.values()]
        return raw


def _each_named(items, list_name, key, kind, errors):
    """`(name, item, where)` for each object of `items` named by `key`, each name once;
    what is not an object, has no name or repeats one is reported and skipped."""
    seen = {}
    for index, item in enumerate(items):
        where = "%s[%d]" % (list_name, index)
        if not isinstance(item, dict):
            errors.append("%s: must be an object, got %s" % (where, type(item).__name__))
            continue
        name = fields.name_field(item, key, where, errors)
        if name is None:
            continue
        if name in seen:
            errors.append("%s: %s %r is listed twice (also %s[%d])"
                          % (where, kind, name, list_name, seen[name]))
            continue
        seen[name] = index
        yield name, item, "%s %r" % (kind, name)


def _read_hosts(items, errors):
    hosts = []
    for name, item, where in _each_named(items, "hosts", "name", "host", errors):
        vcpus = fields.count_field(item, "vcpus", where, errors)
        ram_mb = fields.count_field(item, "ram_mb", where, errors)
        enabled = item.get("enabled")
        if enabled is None:
            enabled = True
        elif not isinstance(enabled, bool):
            errors.append("%s: 'enabled' must be true or false, got %s" % (where, fields.describe(enabled)))
        room_vcpus = _schedulable(item, vcpus, "vcpus", "reserved_vcpus", "cpu_allocation_ratio",
                                  where, errors)
        room_ram_mb = _schedulable(item, ram_mb, "ram_mb", "reserved_host_memory_mb",
                                   "ram_allocation_ratio", where, errors)
        hosts.append(Host(name, room_vcpus, room_ram_mb, enabled, item, vcpus, ram_mb))
    return hosts


def host_room(item):
    """`(vcpus, ram_mb)` a host entry of the inventory format lets Nova place, as
    Placement counts it; the raw figures where the entry is malformed."""
    errors = []
    vcpus, ram_mb = item.get("vcpus", 0), item.get("ram_mb", 0)
    return (_schedulable(item, vcpus, "vcpus", "reserved_vcpus", "cpu_allocation_ratio",
                         "host", errors),
            _schedulable(item, ram_mb, "ram_mb", "reserved_host_memory_mb",
                         "ram_allocation_ratio", "host", errors))


def _schedulable(item, total, total_key, reserved_key, ratio_key, where, errors):
    """`(total - reserved) * allocation_ratio`, rounded down as Placement does; both
    optional (nothing reserved, ratio 1.0)."""
    reserved = fields.count_field(item, reserved_key, where, errors, default=0)
    ratio = item.get(ratio_key)
    if ratio is None:
        ratio = 1.0
    elif isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or ratio <= 0:
        errors.append("%s: '%s' must be a number above 0, got %s"
                      % (where, ratio_key, fields.describe(ratio)))
        return total
    if total is None or reserved is None:
        return total
    if reserved > total:
        errors.append("%s: '%s' (%d) is more than '%s' (%d)"
                      % (where, reserved_key, reserved, total_key, total))
        return total
    return int((total - reserved) * ratio)


def _read_groups(items, errors):
    groups = []
    for group_id, item, where in _each_named(items, "groups", "group_id", "group", errors):
        project_id = fields.name_field(item, "project_id", where, errors, required=False)
        policy = fields.choice_field(item, "policy", POLICIES, where, errors)
        groups.append(Group(group_id, project_id, policy, item))
    return groups


def _plain_instance(item, host_names, group_ids):
    """The instance when every field is plainly right, else None.

    Most instances are; checking them in one expression keeps reading a
    cloud of 200,000 instances fast, and only the others go through the
    field-by-field checks that word the errors.
    """
    get = item.get
    instance_id, project_id, host = get("id"), get("project_id"), get("host")
    vcpus, ram_mb, group_id = get("vcpus"), get("ram_mb"), get("group_id")
    status, migration_type = get("status"), get("migration_type")
    if (type(instance_id) is str and instance_id and type(project_id) is str and project_id
            and (host is None or (type(host) is str and host in host_names))
            and type(vcpus) is int and vcpus >= 0 and type(ram_mb) is int and ram_mb >= 0
            and (group_id is None or (type(group_id) is str and group_id in group_ids))
            and (status is None or (type(status) is str and status))
            and (migration_type is None or migration_type in MOVE_TYPES)):
        return Instance(instance_id, project_id, host, vcpus, ram_mb, group_id, status,
                        migration_type, item)
    return None


def _checked_instance(item, host_names, group_ids, errors):
    """The instance read field by field, adding a message for each bad field."""
    instance_id = item["id"]
    where = "instance %r" % instance_id
    project_id = fields.name_field(item, "project_id", where, errors)
    host = fields.name_field(item, "host", where, errors, required=False)
    if host is not None and host not in host_names:
        errors.append("%s: host %r is not a known host" % (where, host))
    group_id = fields.name_field(item, "group_id", where, errors, required=False)
    if group_id is not None and group_id not in group_ids:
        errors.append("%s: group_id %r is not a known group" % (where, group_id))
    vcpus = fields.count_field(item, "vcpus", where, errors)
    ram_mb = fields.count_field(item, "ram_mb", where, errors)
    status = fields.name_field(item, "status", where, errors, required=False)
    migration_type = fields.choice_field(item, "migration_type", MOVE_TYPES, where, errors)
    return Instance(instance_id, project_id, host, vcpus, ram_mb, group_id, status, migration_type, item)


def _read_instances(items, host_names, group_ids, errors):
    instances, seen = [], {}
    for index, item in enumerate(items):
        instance = _plain_instance(item, host_names, group_ids) if isinstance(item, dict) else None
        if instance is None:
            where = "instances[%d]" % index
            if not isinstance(item, dict):
                errors.append("%s: must be an object, got %s" % (where, type(item).__name__))
                continue
            if fields.name_field(item, "id", where, errors) is None:
                continue
            instance = _checked_instance(item, host_names, group_ids, errors)
        if instance.id in seen:
            errors.append("instances[%d]: instance %r is listed twice (also instances[%d])" % (
                index, instance.id, seen[instance.id]))
            continue
        seen[instance.id] = index
        instances.append(instance)
    return instances


def read_snapshot(raw):
    """`(Snapshot, [])`, or `(None, errors)` when `raw` cannot be used."""
    if not isinstance(raw, dict):
        return None, ["snapshot: must be an object with 'hosts', 'instances' and 'groups', got %s"
                      % type(raw).__name__]
    errors = []
    hosts = _read_hosts(fields.list_field(raw, "hosts", "snapshot", errors, required=True), errors)
    groups = _read_groups(fields.list_field(raw, "groups", "snapshot", errors), errors)
    instances = _read_instances(
        fields.list_field(raw, "instances", "snapshot", errors),
        {h.name for h in hosts}, {g.group_id for g in groups}, errors)
    if errors:
        return None, errors
    return Snapshot(hosts, instances, groups, raw), []


def parse_snapshot(raw):
    """A `Snapshot`; raises `InvalidInput` naming every problem."""
    snapshot, errors = read_snapshot(raw)
    if errors:
        raise InvalidInput(errors)
    return snapshot


def validate_snapshot(raw):
    """Every problem in a snapshot, as messages; an empty list when it is fine."""
    return read_snapshot(raw)[1]
