"""Bad snapshots are refused with every problem named, in one pass."""

import pytest

from planner_clouds import cloud, group, host, vm

from rolling_maintenance.planner import InvalidInput, plan_next, validate_snapshot


def good():
    return cloud([host("a"), host("b", enabled=False)],
                 [vm("i1", "a", group="g1"), vm("i2", None), vm("i3", "b", migration_type="MIGRATE")],
                 [group("g1", "anti-affinity"), group("g2", None)])


def test_a_good_snapshot_has_no_errors():
    assert validate_snapshot(good()) == []
    assert validate_snapshot({"hosts": []}) == []


@pytest.mark.parametrize("change, message", [
    (lambda s: s["instances"].append(vm("i9", "nowhere")), "instance 'i9': host 'nowhere' is not a known host"),
    (lambda s: s["instances"].append(vm("i1", "b")), "instances[3]: instance 'i1' is listed twice (also instances[0])"),
    (lambda s: s["hosts"].append(host("a")), "hosts[2]: host 'a' is listed twice (also hosts[0])"),
    (lambda s: s["groups"].append(group("g1", "affinity")), "groups[2]: group 'g1' is listed twice (also groups[0])"),
    (lambda s: s["hosts"][0].update(vcpus=-1), "host 'a': 'vcpus' must be a non-negative integer, got -1"),
    (lambda s: s["hosts"][0].update(ram_mb=1.5), "host 'a': 'ram_mb' must be a non-negative integer, got 1.5"),
    (lambda s: s["hosts"][0].pop("ram_mb"), "host 'a': 'ram_mb' is required"),
    (lambda s: s["hosts"][0].update(enabled="yes"), "host 'a': 'enabled' must be true or false, got 'yes'"),
    (lambda s: s["hosts"][1].update(name=""), "hosts[1]: 'name' must be a non-empty string, got ''"),
    (lambda s: s["instances"][0].update(ram_mb=-512),
     "instance 'i1': 'ram_mb' must be a non-negative integer, got -512"),
    (lambda s: s["instances"][0].update(vcpus=True), "instance 'i1': 'vcpus' must be a non-negative integer, got True"),
    (lambda s: s["instances"][0].update(group_id="g7"), "instance 'i1': group_id 'g7' is not a known group"),
    (lambda s: s["instances"][0].pop("project_id"), "instance 'i1': 'project_id' must be a non-empty string, got None"),
    (lambda s: s["instances"][0].update(migration_type="EVACUATE"),
     "instance 'i1': 'migration_type' must be one of MIGRATE, LIVE_MIGRATE, OWN_ACTION, got 'EVACUATE'"),
    (lambda s: s["instances"][0].update(host=["a"]), "instance 'i1': 'host' must be a non-empty string, got ['a']"),
    (lambda s: s["instances"].append("i7"), "instances[3]: must be an object, got str"),
    (lambda s: s["groups"][0].update(policy="anti_affinity"),
     ("group 'g1': 'policy' must be one of anti-affinity, affinity, soft-anti-affinity, soft-affinity, "
      "got 'anti_affinity'")),
    (lambda s: s.update(instances={"i1": {}}), "snapshot: 'instances' must be a list, got dict"),
    (lambda s: s.pop("hosts"), "snapshot: 'hosts' is required"),
])
def test_each_problem_is_named(change, message):
    snapshot = good()
    change(snapshot)
    assert message in validate_snapshot(snapshot)


def test_every_problem_is_reported_at_once():
    snapshot = good()
    snapshot["hosts"][0]["vcpus"] = -4
    snapshot["instances"][1]["vcpus"] = "2"
    snapshot["groups"][1]["policy"] = "spread"
    errors = validate_snapshot(snapshot)
    assert len(errors) == 3


def test_not_an_object_at_all():
    assert validate_snapshot([]) == [
        "snapshot: must be an object with 'hosts', 'instances' and 'groups', got list"]


def test_plan_next_refuses_it_with_all_the_messages():
    snapshot = good()
    snapshot["instances"][0]["host"] = "zz"
    snapshot["hosts"][1]["ram_mb"] = -1
    with pytest.raises(InvalidInput) as raised:
        plan_next(snapshot, {"hosts": []})
    assert raised.value.errors == ["host 'b': 'ram_mb' must be a non-negative integer, got -1",
                                   "instance 'i1': host 'zz' is not a known host"]
    assert str(raised.value) == "; ".join(raised.value.errors)
    assert isinstance(raised.value, ValueError)
