"""Build the simulated cloud from the project's inventory format.

The same dict feeds the planner and the dry run, so unknown keys are ignored
(other tools add theirs) while the keys used here are checked, with errors
that name the entry and field at fault. Instance and group ids that are not
UUIDs get a fixed uuid5 (`stable_id`) and keep the given value as name.
"""

import uuid

from rolling_maintenance.sim import scheduler
from rolling_maintenance.sim.model import Model, Timing
from rolling_maintenance.sim.model.core import ADMIN_PROJECT, stable_uuid
from rolling_maintenance.sim.model.records import Flavor, Group

CONTROLLER = "controller"
CONTROL_SERVICES = ("nova-conductor", "nova-scheduler")
STANDARD_FLAVORS = (("m1.tiny", 1, 512, 1), ("m1.small", 1, 2048, 20),
                    ("m1.medium", 2, 4096, 40), ("m1.large", 4, 8192, 80))


class InventoryError(ValueError):
    """The inventory cannot describe a cloud; the message says where."""


def stable_id(kind, value):
    """The uuid the simulator uses for an inventory id (`kind`: server or group)."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return stable_uuid(kind, value)


def _entries(inventory, key):
    entries = inventory.get(key) or []
    if not isinstance(entries, list):
        raise InventoryError("%s must be a list, got %s" % (key, type(entries).__name__))
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise InventoryError("%s[%d] must be an object" % (key, index))
    return entries


def _positive_int(entry, field, where, default=None):
    value = entry.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InventoryError("%s.%s must be a positive integer, got %r" % (where, field, value))
    return value


def _text(entry, field, where, required=True):
    value = entry.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool) or value == "":
        raise InventoryError("%s.%s must be a non-empty string, got %r" % (where, field, value))
    return str(value)


def build_model(inventory, clock, epoch=None):
    if not isinstance(inventory, dict):
        raise InventoryError("the inventory must be an object, got %s" % type(inventory).__name__)
    try:
        timing = Timing.from_dict(inventory.get("timing"))
    except ValueError as exc:
        raise InventoryError(str(exc)) from None
    model = Model(clock, timing, epoch)
    model.add_project(ADMIN_PROJECT, ADMIN_PROJECT)
    for binary in CONTROL_SERVICES:
        model.add_control_service(binary, CONTROLLER)
    for name, vcpus, ram, disk in STANDARD_FLAVORS:
        model.flavors[name] = Flavor(id=name, name=name, vcpus=vcpus, ram_mb=ram, disk_gb=disk)
    _add_hosts(model, _entries(inventory, "hosts"))
    _add_projects(model, inventory)
    _add_groups(model, _entries(inventory, "groups"))
    _add_instances(model, _entries(inventory, "instances"))
    return model


def _add_hosts(model, hosts):
    for index, entry in enumerate(hosts):
        where = "hosts[%d]" % index
        name = _text(entry, "name", where)
        if name in model.hosts:
            raise InventoryError("%s.name: duplicate host %r" % (where, name))
        host = model.add_host(name, _positive_int(entry, "vcpus", where),
                              _positive_int(entry, "ram_mb", where),
                              _positive_int(entry, "disk_gb", where, default=100))
        host.cpu_allocation_ratio = _ratio(entry, "cpu_allocation_ratio", where)
        host.ram_allocation_ratio = _ratio(entry, "ram_allocation_ratio", where)
        host.reserved_host_memory_mb = _reserved(entry, where, host.ram_mb)
        if entry.get("enabled") is False:
            host.service.enabled = False
            host.service.disabled_reason = entry.get("disabled_reason")


def _ratio(entry, field, where):
    value = entry.get(field, 1.0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise InventoryError("%s.%s must be a number above 0, got %r" % (where, field, value))
    return float(value)


def _reserved(entry, where, ram_mb):
    value = entry.get("reserved_host_memory_mb", 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < ram_mb:
        raise InventoryError("%s.reserved_host_memory_mb must be an integer from 0 to "
                             "ram_mb - 1, got %r" % (where, value))
    return value


def _add_projects(model, inventory):
    named = {}
    for index, entry in enumerate(_entries(inventory, "projects")):
        where = "projects[%d]" % index
        named[_text(entry, "id", where)] = _text(entry, "name", where, required=False)
    for key in ("groups", "instances"):
        for index, entry in enumerate(_entries(inventory, key)):
            project_id = _text(entry, "project_id", "%s[%d]" % (key, index))
            named.setdefault(project_id, None)
    for project_id, name in named.items():
        try:
            model.add_project(project_id, name)
        except ValueError as exc:
            raise InventoryError("projects: %s" % exc) from None


def _add_groups(model, groups):
    for index, entry in enumerate(groups):
        where = "groups[%d]" % index
        given = _text(entry, "group_id", where, required=False) or _text(entry, "id", where)
        policy = entry.get("policy")
        if policy is not None and policy not in scheduler.POLICIES:
            raise InventoryError("%s.policy must be one of %s or null, got %r"
                                 % (where, ", ".join(scheduler.POLICIES), policy))
        rules = entry.get("rules") or {}
        if not isinstance(rules, dict):
            raise InventoryError("%s.rules must be an object" % where)
        group_id = stable_id("group", given)
        if group_id in model.groups:
            raise InventoryError("%s: duplicate group id %r" % (where, given))
        project_id = _text(entry, "project_id", where)
        _, user = model.project_member(project_id)
        model.groups[group_id] = Group(
            id=group_id, name=_text(entry, "name", where, required=False) or given,
            project_id=project_id, user_id=user.id, policy=policy, rules=dict(rules))


def _add_instances(model, instances):
    for index, entry in enumerate(instances):
        where = "instances[%d]" % index
        given = _text(entry, "id", where, required=False) or _text(entry, "name", where)
        server_id = stable_id("server", given)
        if server_id in model.servers:
            raise InventoryError("%s: duplicate instance id %r" % (where, given))
        project_id = _text(entry, "project_id", where)
        flavor = model.flavor_for(_positive_int(entry, "vcpus", where), _positive_int(entry, "ram_mb", where))
        group_ref = _text(entry, "group_id", where, required=False)
        group_id = stable_id("group", group_ref) if group_ref is not None else None
        if group_id is not None:
            group = model.groups.get(group_id)
            if group is None:
                raise InventoryError("%s.group_id: no group %r in groups" % (where, group_ref))
            if group.project_id != project_id:
                raise InventoryError("%s.group_id: group %r belongs to project %s, not %s"
                                     % (where, group_ref, group.project_id, project_id))
        host = _placement(model, entry, where, flavor, group_id)
        model.add_existing_server(server_id, _text(entry, "name", where, required=False) or given,
                                  project_id, flavor, host, group_id)


def _placement(model, entry, where, flavor, group_id):
    """The given host, checked for room and hard group policy, or the scheduler's pick."""
    probe = _Probe(flavor, group_id)
    placement = model.placement_for(probe)
    host = _text(entry, "host", where, required=False)
    if host is None:
        chosen = scheduler.select(model.host_views(), placement)
        if chosen is None:
            raise InventoryError("%s: no host can take it (room or group policy)" % where)
        return chosen
    if host not in model.hosts:
        raise InventoryError("%s.host: no host %r in hosts" % (where, host))
    view = next(v for v in model.host_views() if v.name == host)
    reason = scheduler.rejection(
        scheduler.HostView(host, True, True, view.free_vcpus, view.free_ram_mb), placement)
    if reason is not None:
        raise InventoryError("%s.host: %s" % (where, reason))
    return host


class _Probe:
    """Stands for an instance not yet created when asking the scheduler."""

    id = None

    def __init__(self, flavor, group_id):
        self.flavor = flavor
        self.group_id = group_id
