"""No feasible cloud is refused or sent to scale-in, and an infeasible one is
refused naming what fits nowhere.

Feasibility is decided apart from the planner, by an exhaustive search over
serial plans of small clouds: one host at a time is emptied, each of its
instances (an affinity group's members on it together) onto any enabled or
maintained host with room and without breaking a group's rule; a host that
is empty is maintained before any other is emptied (the session's rule).
"""

import itertools

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from parallel_checks import check_plan, draw_instances

from rolling_maintenance.planner.offline.rounds import Refused, plan_rounds


@st.composite
def small_clouds(draw):
    count = draw(st.integers(2, 4))
    names = ["h%d" % i for i in range(count)]
    hosts = [{"name": n, "vcpus": draw(st.integers(2, 5)), "ram_mb": 1024 * draw(st.integers(2, 5)),
              "enabled": draw(st.sampled_from([True, True, True, False]))} for n in names]
    groups = [{"group_id": "g%d" % number, "project_id": "p",
               "policy": draw(st.sampled_from(["anti-affinity", "affinity"]))}
              for number in range(draw(st.integers(0, 2)))]
    instances = draw_instances(
        draw, hosts, groups, draw(st.integers(1, 7)),
        size=lambda: (draw(st.integers(1, 3)), 1024 * draw(st.integers(1, 3))))
    return {"hosts": hosts, "instances": instances, "groups": groups,
            "timing": {"host_maintenance_s": 100, "live_migration_s_per_gib": 8, "cold_migration_s_per_gib": 4}}


def _blocks(inventory, state, source):
    policy = {g["group_id"]: g["policy"] for g in inventory["groups"]}
    together, blocks = {}, []
    for instance in inventory["instances"]:
        if state[instance["id"]] != source:
            continue
        group = instance.get("group_id")
        if group is not None and policy[group] == "affinity":
            together.setdefault(group, []).append(instance)
        else:
            blocks.append([instance])
    return blocks + list(together.values())


def _valid(inventory, state):
    size = {h["name"]: (h["vcpus"], h["ram_mb"]) for h in inventory["hosts"]}
    used = {name: [0, 0] for name in size}
    members = {}
    for instance in inventory["instances"]:
        on = state[instance["id"]]
        used[on][0] += instance["vcpus"]
        used[on][1] += instance["ram_mb"]
        if instance.get("group_id"):
            members.setdefault(instance["group_id"], []).append(on)
    if any(used[n][0] > size[n][0] or used[n][1] > size[n][1] for n in size):
        return False
    for group in inventory["groups"]:
        places = members.get(group["group_id"], [])
        if group["policy"] == "anti-affinity" and len(places) != len(set(places)):
            return False
        if group["policy"] == "affinity" and len(set(places)) > 1:
            return False
    return True


def feasible(inventory):
    """Whether some serial plan maintains every host (exhaustive search)."""
    enabled = {h["name"] for h in inventory["hosts"] if h["enabled"]}
    names = sorted(h["name"] for h in inventory["hosts"])
    ids = sorted(i["id"] for i in inventory["instances"])
    seen = set()

    def search(state, maintained):
        key = (tuple(state[i] for i in ids), maintained)
        if key in seen:
            return False
        seen.add(key)
        if len(maintained) == len(names):
            return True
        empty = [n for n in names if n not in maintained and n not in key[0]]
        if empty:
            return search(state, maintained | {empty[0]})
        for source in names:
            if source in maintained:
                continue
            targets = sorted((enabled | maintained) - {source})
            blocks = _blocks(inventory, state, source)
            for choice in itertools.product(targets, repeat=len(blocks)):
                after = dict(state)
                for block, target in zip(blocks, choice, strict=True):
                    after.update((i["id"], target) for i in block)
                if _valid(inventory, after) and search(after, maintained | {source}):
                    return True
        return False

    return search({i["id"]: i["host"] for i in inventory["instances"]}, frozenset())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_clouds(), st.sampled_from([None, 1]))
def test_no_feasible_cloud_is_refused_or_sent_to_scale_in(inventory, limit):
    if not feasible(inventory):
        event("infeasible")
        with pytest.raises(Refused):
            plan_rounds(inventory, limit)
        return
    event("feasible")
    rounds = plan_rounds(inventory, limit)
    assert check_plan(inventory, rounds) == []


def test_an_instance_that_fits_nowhere_is_named():
    inventory = {"hosts": [{"name": "big", "vcpus": 16, "ram_mb": 65536},
                           {"name": "small", "vcpus": 4, "ram_mb": 8192}],
                 "instances": [{"id": "whale", "project_id": "p", "host": "big", "vcpus": 8, "ram_mb": 32768}],
                 "groups": []}
    with pytest.raises(Refused) as refused:
        plan_rounds(inventory, None)
    assert ("instance whale of project p (8 vcpus and 32768 MB) on big fits on no other host: "
            "the largest, small, has 4 vcpus and 8192 MB") in str(refused.value)
    assert "scale in" not in str(refused.value)


def test_an_anti_affinity_group_with_a_member_on_every_host_is_named():
    hosts = [{"name": "h%d" % i, "vcpus": 4, "ram_mb": 8192} for i in range(3)]
    instances = [{"id": "m%d" % i, "project_id": "p", "host": "h%d" % i, "vcpus": 1, "ram_mb": 1024,
                  "group_id": "ha"} for i in range(3)]
    inventory = {"hosts": hosts, "instances": instances,
                 "groups": [{"group_id": "ha", "project_id": "p", "policy": "anti-affinity"}]}
    with pytest.raises(Refused, match="anti-affinity group ha has 3 members .m0, m1, m2., at most 1 on a host: "
                                      "while h0 is emptied they fit on no 3 of the other hosts"):
        plan_rounds(inventory, 1)
