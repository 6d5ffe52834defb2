"""Constraint storage: the Mistral-environment store, its in-memory twin, and the actions' reader."""

import pytest
import requests
from mistralclient.api import base as mistral_base

from api_fake_environments import FakeEnvironmentsClient
from rolling_maintenance.api.constraints_store import MemoryConstraintsStore, MistralConstraintsStore
from rolling_maintenance.mistral import constraints as reader

GROUP = {"group_id": "g1", "project_id": "p1", "group_name": "pair", "anti_affinity_group": True,
         "max_instances_per_host": 1, "max_impacted_members": 1, "recovery_time": 10,
         "resource_mitigation": False}
INSTANCE = {"instance_id": "vm-1", "project_id": "p1", "group_id": "g1", "instance_name": "a",
            "max_interruption_time": 1, "migration_type": "LIVE_MIGRATE",
            "resource_mitigation": False, "lead_time": 0}


def instance(instance_id, **changes):
    return dict(INSTANCE, instance_id=instance_id, **changes)


@pytest.fixture(params=["mistral", "memory"])
def store(request):
    if request.param == "memory":
        return MemoryConstraintsStore()
    return MistralConstraintsStore(FakeEnvironmentsClient())


def test_put_get_list_delete_round_trip(store):
    assert store.put_group("g1", GROUP) == GROUP
    assert store.put_instance("vm-1", INSTANCE) == INSTANCE
    assert store.get_group("g1") == GROUP
    assert store.get_instance("vm-1") == INSTANCE
    assert store.list_groups() == [GROUP]
    assert store.list_instances() == [INSTANCE]
    assert store.delete_instance("vm-1") is True
    assert store.get_instance("vm-1") is None and store.delete_instance("vm-1") is False
    assert store.get_group("g1") == GROUP


def test_put_replaces_and_unknown_ids_are_none(store):
    store.put_group("g1", GROUP)
    store.put_group("g1", dict(GROUP, recovery_time=30))
    assert store.get_group("g1")["recovery_time"] == 30
    assert store.list_groups() == [dict(GROUP, recovery_time=30)]
    assert store.get_group("g9") is None and store.get_instance("g1") is None
    assert store.delete_group("g9") is False


def test_returned_constraints_are_copies(store):
    store.put_group("g1", GROUP)
    store.get_group("g1")["recovery_time"] = 99
    assert store.get_group("g1")["recovery_time"] == 10


def test_unknown_kind_is_refused_by_name(store):
    with pytest.raises(ValueError, match="kind must be one of group, instance, got 'server'"):
        store.get("server", "x")


def test_one_environment_per_constraint_named_by_kind_and_id():
    client = FakeEnvironmentsClient()
    store = MistralConstraintsStore(client)
    store.put_group("g1", GROUP)
    store.put_instance("vm-1", INSTANCE)
    rows = client.environments.rows
    assert set(rows) == {"maintenance-instance-group-g1", "maintenance-instance-vm-1"}
    assert client.environments.get("maintenance-instance-group-g1").variables == GROUP
    assert client.environments.get("maintenance-instance-vm-1").variables == INSTANCE


def test_a_new_store_on_the_same_mistral_sees_everything():
    client = FakeEnvironmentsClient()
    MistralConstraintsStore(client).put_group("g1", GROUP)
    MistralConstraintsStore(client).put_instance("vm-1", INSTANCE)
    again = MistralConstraintsStore(client)
    assert again.get_group("g1") == GROUP and again.list_instances() == [INSTANCE]


def test_replacing_updates_and_never_creates_twice():
    client = FakeEnvironmentsClient()
    store = MistralConstraintsStore(client)
    store.put_group("g1", GROUP)
    store.put_group("g1", GROUP)
    writes = [c for c in client.environments.calls if c[0] in ("create", "update")]
    assert writes == [("update", "maintenance-instance-group-g1"),
                      ("create", "maintenance-instance-group-g1"),
                      ("update", "maintenance-instance-group-g1")]


def test_a_create_lost_to_a_concurrent_one_replaces_it():
    client = FakeEnvironmentsClient()
    store = MistralConstraintsStore(client)
    other = MistralConstraintsStore(client)
    client.environments.before_create = lambda name: other.put_group("g1", dict(GROUP, recovery_time=5))
    store.put_group("g1", GROUP)
    assert store.get_group("g1") == GROUP


def test_a_group_is_never_read_as_an_instance_and_back():
    client = FakeEnvironmentsClient()
    store = MistralConstraintsStore(client)
    store.put_group("abc", dict(GROUP, group_id="abc"))
    assert store.get_instance("group-abc") is None
    assert store.delete_instance("group-abc") is False
    assert store.list_instances() == []
    assert client.environments.rows.keys() == {"maintenance-instance-group-abc"}


def test_mistral_errors_other_than_not_found_propagate():
    client = FakeEnvironmentsClient()
    store = MistralConstraintsStore(client)
    client.environments.down = True
    with pytest.raises(requests.ConnectionError):
        store.get_group("g1")
    client.environments.down = False
    client.environments.update = lambda **kw: (_ for _ in ()).throw(
        mistral_base.APIException(403, "forbidden"))
    with pytest.raises(mistral_base.APIException):
        store.put_group("g1", GROUP)


def test_load_constraints_reads_every_page_and_skips_other_environments():
    client = FakeEnvironmentsClient(max_limit=7)
    store = MistralConstraintsStore(client)
    for index in range(reader.PAGE_SIZE + 5):
        store.put_instance("vm-%03d" % index, instance("vm-%03d" % index))
    store.put_group("g1", GROUP)
    client.environments.create(name="unrelated", variables={"instance_id": "vm-x"})
    client.environments.create(name="aaa", variables={"instance_id": "vm-x"})
    client.environments.create(name="maintenance-instancf", variables={"instance_id": "vm-x"})
    client.environments.create(name="maintenance-instance-broken", variables={"a": 1})
    client.environments.create(name="maintenance-instance-vm-y", variables={"instance_id": "vm-z"})
    loaded = reader.load_constraints(client)
    assert loaded["groups"] == {"g1": GROUP}
    assert sorted(loaded["instances"]) == ["vm-%03d" % i for i in range(reader.PAGE_SIZE + 5)]
    assert loaded["instances"]["vm-007"] == instance("vm-007")
    assert len(store.list_instances()) == reader.PAGE_SIZE + 5
    lists = [c for c in client.environments.calls if c[0] == "list"]
    assert len(lists) > (reader.PAGE_SIZE + 5) // 7


def test_load_constraints_keeps_only_the_constraints_apis_project():
    """An admin's list shows every project's environments; another project's like-named one is not a constraint."""
    client = FakeEnvironmentsClient()
    client.environments.project_id = "service"
    MistralConstraintsStore(client).put_group("g1", GROUP)
    client.environments.project_id = "tenant-b"
    forged = dict(GROUP, group_id="g2", max_impacted_members=2)
    client.environments.create(name="maintenance-instance-group-g2", variables=forged)
    assert reader.load_constraints(client, "service")["groups"] == {"g1": GROUP}
    assert sorted(reader.load_constraints(client)["groups"]) == ["g1", "g2"]


def test_load_constraints_of_an_empty_mistral():
    assert reader.load_constraints(FakeEnvironmentsClient()) == {"groups": {}, "instances": {}}


def test_variables_as_json_text_are_read():
    env = type("Env", (), {"name": "maintenance-instance-vm-1", "variables": '{"instance_id": "vm-1"}'})
    assert reader.kind_of(env) == "instance"
    env.variables = "{not json"
    assert reader.kind_of(env) is None
