"""The tenants' constraints put onto the planner's snapshot."""

import copy

from rolling_maintenance.planner.model.constraints import check_constraints
from rolling_maintenance.planner.model.constraints_merge import apply_constraints, merge_constraints
from rolling_maintenance.planner.model.snapshot import parse_snapshot


def vm(instance_id, host, project_id="p1", group_id=None):
    return {"id": instance_id, "name": instance_id, "project_id": project_id, "host": host,
            "vcpus": 1, "ram_mb": 512, "group_id": group_id, "status": "ACTIVE"}


SNAPSHOT = {
    "hosts": [{"name": "c%d" % i, "vcpus": 4, "ram_mb": 8192, "enabled": True, "state": "up"}
              for i in range(3)],
    "instances": [vm("vm-a", "c0", group_id="nova-g"), vm("vm-b", "c1", group_id="nova-g"),
                  vm("vm-c", "c2"), vm("vm-d", "c0"), vm("vm-o", "c1", project_id="p2")],
    "groups": [{"group_id": "nova-g", "project_id": "p1", "name": "pair",
                "policy": "anti-affinity"}],
    "session": {"kept": True},
}


def group(group_id, project_id="p1", anti=True, **changes):
    return dict({"group_id": group_id, "project_id": project_id, "group_name": group_id + "-name",
                 "anti_affinity_group": anti, "max_instances_per_host": 1,
                 "max_impacted_members": 1, "recovery_time": 10, "resource_mitigation": False},
                **changes)


def instance(instance_id, project_id="p1", group_id=None, **changes):
    return dict({"instance_id": instance_id, "project_id": project_id, "group_id": group_id,
                 "instance_name": None, "max_interruption_time": 1,
                 "migration_type": "LIVE_MIGRATE", "resource_mitigation": False, "lead_time": 0},
                **changes)


def by_id(entries, key="id"):
    return {entry[key]: entry for entry in entries}


def test_nova_group_and_its_members_get_the_constraint_fields():
    constraints = {"groups": {"nova-g": group("nova-g", max_impacted_members=2, recovery_time=30)},
                   "instances": {"vm-a": instance("vm-a", "p1", "nova-g", lead_time=5),
                                 "vm-b": instance("vm-b", migration_type="MIGRATE")}}
    merged, counts = merge_constraints(SNAPSHOT, constraints)
    assert counts == {"groups": 1, "instances": 2, "ignored": 0}
    [nova] = merged["groups"]
    assert nova == {"group_id": "nova-g", "project_id": "p1", "name": "pair",
                    "policy": "anti-affinity", "max_instances_per_host": 1,
                    "max_impacted_members": 2, "recovery_time": 30, "resource_mitigation": False}
    instances = by_id(merged["instances"])
    assert instances["vm-a"]["lead_time"] == 5 and instances["vm-a"]["max_interruption_time"] == 1
    assert instances["vm-a"]["migration_type"] == "LIVE_MIGRATE"
    assert instances["vm-b"]["migration_type"] == "MIGRATE"
    assert instances["vm-b"]["group_id"] == "nova-g"
    assert "lead_time" not in instances["vm-c"]
    assert merged["session"] == {"kept": True} and merged["hosts"] == SNAPSHOT["hosts"]


def test_a_group_nova_does_not_know_joins_the_snapshot_with_its_members():
    constraints = {"groups": {"app-anti": group("app-anti"),
                              "app-loose": group("app-loose", anti=False, max_impacted_members=3)},
                   "instances": {"vm-c": instance("vm-c", group_id="app-anti"),
                                 "vm-d": instance("vm-d", group_id="app-anti"),
                                 "vm-a": instance("vm-a", group_id="app-anti")}}
    merged = apply_constraints(SNAPSHOT, constraints)
    groups = by_id(merged["groups"], "group_id")
    assert [g["group_id"] for g in merged["groups"]] == ["nova-g", "app-anti", "app-loose"]
    assert groups["app-anti"] == {"group_id": "app-anti", "project_id": "p1",
                                  "name": "app-anti-name", "policy": "anti-affinity",
                                  "max_instances_per_host": 1, "max_impacted_members": 1,
                                  "recovery_time": 10, "resource_mitigation": False}
    assert groups["app-loose"]["policy"] is None
    assert groups["app-loose"]["max_impacted_members"] == 3
    instances = by_id(merged["instances"])
    assert instances["vm-c"]["group_id"] == instances["vm-d"]["group_id"] == "app-anti"
    # Nova's membership is the truth: an instance in a server group stays in it.
    assert instances["vm-a"]["group_id"] == "nova-g"
    parse_snapshot(merged)


def test_constraints_on_other_projects_resources_are_ignored():
    constraints = {"groups": {"nova-g": group("nova-g", project_id="p2", recovery_time=99),
                              "p2-group": group("p2-group", project_id="p2")},
                   "instances": {"vm-a": instance("vm-a", project_id="p2", lead_time=50),
                                 "vm-c": instance("vm-c", project_id="p2", group_id="p2-group"),
                                 "vm-o": instance("vm-o", project_id="p2", group_id="p2-group")}}
    merged, counts = merge_constraints(SNAPSHOT, constraints)
    assert merged == apply_constraints(SNAPSHOT, constraints)
    assert counts == {"groups": 1, "instances": 1, "ignored": 3}
    groups = by_id(merged["groups"], "group_id")
    assert "recovery_time" not in groups["nova-g"]
    instances = by_id(merged["instances"])
    assert "lead_time" not in instances["vm-a"]
    assert instances["vm-c"]["group_id"] is None and "lead_time" not in instances["vm-c"]
    assert instances["vm-o"]["group_id"] == "p2-group"


def test_constraints_of_instances_and_groups_not_in_the_cloud_change_nothing_else():
    merged, counts = merge_constraints(SNAPSHOT, {"groups": {}, "instances": {
        "gone": instance("gone"), "vm-c": instance("vm-c", group_id="no-such-group")}})
    assert counts == {"groups": 0, "instances": 1, "ignored": 1}
    instances = by_id(merged["instances"])
    assert instances["vm-c"]["group_id"] is None and instances["vm-c"]["lead_time"] == 0
    assert len(merged["instances"]) == len(SNAPSHOT["instances"])
    assert merged["groups"] == SNAPSHOT["groups"]


def test_the_input_is_left_alone():
    before = copy.deepcopy(SNAPSHOT)
    apply_constraints(SNAPSHOT, {"groups": {"x": group("x")},
                                 "instances": {"vm-c": instance("vm-c", group_id="x")}})
    assert SNAPSHOT == before


def test_no_constraints_is_a_copy_of_the_snapshot():
    assert apply_constraints(SNAPSHOT, {"groups": {}, "instances": {}}) == SNAPSHOT
    assert apply_constraints(SNAPSHOT, None) == SNAPSHOT
    assert merge_constraints(SNAPSHOT, None)[1] == {"groups": 0, "instances": 0, "ignored": 0}
    bare = {"hosts": SNAPSHOT["hosts"]}
    merged = apply_constraints(bare, {"groups": {"x": group("x")}, "instances": {}})
    assert [g["group_id"] for g in merged["groups"]] == ["x"]


def test_zero_instances_per_host_is_no_limit_as_fenix_reads_it():
    """Tacker and Doctor's VNFM write 0 for their groups that are not anti-affinity."""
    constraints = {"groups": {"free": group("free", anti=False, max_instances_per_host=0,
                                            max_impacted_members=2)},
                   "instances": {"vm-c": instance("vm-c", group_id="free"),
                                 "vm-d": instance("vm-d", group_id="free")}}
    merged = apply_constraints(SNAPSHOT, constraints)
    free = by_id(merged["groups"], "group_id")["free"]
    assert "max_instances_per_host" not in free and free["max_impacted_members"] == 2
    check_constraints(parse_snapshot(merged))
