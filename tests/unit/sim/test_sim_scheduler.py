"""Host selection rules, on plain values."""

from rolling_maintenance.sim import scheduler
from rolling_maintenance.sim.scheduler import HostView, Placement


def hosts(*specs):
    """(name, free_vcpus, free_ram_mb[, enabled[, up]]) tuples to HostViews."""
    views = []
    for spec in specs:
        name, vcpus, ram = spec[:3]
        enabled = spec[3] if len(spec) > 3 else True
        up = spec[4] if len(spec) > 4 else True
        views.append(HostView(name, enabled, up, vcpus, ram))
    return views


def test_capacity_excludes_hosts_without_room():
    found = scheduler.candidates(hosts(("a", 1, 8192), ("b", 4, 1024), ("c", 2, 2048)),
                                 Placement(vcpus=2, ram_mb=2048))
    assert found == ["c"]


def test_exact_fit_is_accepted():
    assert scheduler.select(hosts(("a", 2, 2048)), Placement(vcpus=2, ram_mb=2048)) == "a"


def test_disabled_and_down_hosts_are_never_chosen():
    views = hosts(("a", 8, 8192, False), ("b", 8, 8192, True, False), ("c", 1, 1024))
    assert scheduler.candidates(views, Placement(vcpus=1, ram_mb=512)) == ["c"]
    assert "disabled" in scheduler.rejection(views[0], Placement(1, 512))
    assert "down" in scheduler.rejection(views[1], Placement(1, 512))


def test_source_host_is_never_a_target():
    views = hosts(("a", 8, 8192), ("b", 1, 1024))
    assert scheduler.select(views, Placement(1, 512, source="a")) == "b"
    assert scheduler.select(hosts(("a", 8, 8192)), Placement(1, 512, source="a")) is None


def test_anti_affinity_avoids_hosts_with_members():
    placement = Placement(1, 512, policy="anti-affinity", members=(frozenset({"a"}),))
    assert scheduler.candidates(hosts(("a", 8, 8192), ("b", 1, 1024)), placement) == ["b"]


def test_anti_affinity_counts_a_migrating_member_on_both_hosts():
    placement = Placement(1, 512, policy="anti-affinity", members=(frozenset({"a", "b"}),))
    assert scheduler.candidates(hosts(("a", 8, 8192), ("b", 8, 8192), ("c", 1, 1024)), placement) == ["c"]


def test_anti_affinity_max_server_per_host_rule():
    members = (frozenset({"a"}), frozenset({"a"}), frozenset({"b"}))
    placement = Placement(1, 512, policy="anti-affinity", rules={"max_server_per_host": 2},
                          members=members)
    assert scheduler.candidates(hosts(("a", 8, 8192), ("b", 4, 4096)), placement) == ["b"]


def test_affinity_requires_the_host_of_every_member():
    views = hosts(("a", 8, 8192), ("b", 8, 8192))
    together = Placement(1, 512, policy="affinity", members=(frozenset({"b"}), frozenset({"b"})))
    assert scheduler.candidates(views, together) == ["b"]
    split = Placement(1, 512, policy="affinity", members=(frozenset({"a"}), frozenset({"b"})))
    assert scheduler.candidates(views, split) == []


def test_affinity_without_placed_members_allows_any_host():
    placement = Placement(1, 512, policy="affinity", members=(frozenset(),))
    assert sorted(scheduler.candidates(hosts(("a", 8, 8192), ("b", 8, 8192)), placement)) == ["a", "b"]


def test_soft_policies_prefer_but_never_exclude():
    views = hosts(("a", 8, 8192), ("b", 8, 4096))
    member_on_a = (frozenset({"a"}),)
    assert scheduler.candidates(views, Placement(1, 512, "soft-affinity", members=member_on_a)) == ["a", "b"]
    assert scheduler.candidates(views, Placement(1, 512, "soft-anti-affinity", members=member_on_a)) == ["b", "a"]
    only_a = hosts(("a", 8, 8192))
    assert scheduler.select(only_a, Placement(1, 512, "soft-anti-affinity", members=member_on_a)) == "a"


def test_choice_is_most_free_ram_then_name():
    views = hosts(("c", 4, 4096), ("b", 4, 8192), ("a", 4, 8192))
    assert scheduler.candidates(views, Placement(1, 512)) == ["a", "b", "c"]
