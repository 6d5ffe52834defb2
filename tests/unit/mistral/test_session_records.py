"""A session's records of the hosts it maintained, in Mistral environments."""

import types

from api_fake_environments import FakeEnvironmentsClient

from rolling_maintenance.mistral import executions, session_records


def test_a_host_without_a_record_is_not_maintained():
    client = FakeEnvironmentsClient()
    record = session_records.read_host(client, "s1", "c0")
    assert record == {"session_id": "s1", "host": "c0", "maintained_at": None, "told": {}}
    assert session_records.read_session(client, "s1") == {}


def test_records_are_noted_once_and_read_back_per_session():
    client = FakeEnvironmentsClient()
    assert session_records.record_maintained(client, "s1", "c0", "2026-01-01T00:00:00") is True
    assert session_records.record_maintained(client, "s1", "c0", "2026-01-01T00:09:00") is False
    session_records.record_maintained(client, "s2", "c1", "2026-01-01T00:00:00")
    session_records.record_progress(client, "s1", {"scale_in_rounds": 1})

    found = session_records.read_session(client, "s1")
    assert list(found) == ["c0"]
    assert found["c0"]["maintained_at"] == "2026-01-01T00:00:00"
    assert session_records.read_progress(client, "s1") == {"scale_in_rounds": 1}
    assert session_records.read_progress(client, "s2") is None


def test_when_a_project_was_told_is_noted_once_per_instance_beside_the_rest():
    client = FakeEnvironmentsClient()
    assert session_records.told_at(client, "s1", "c0", "vm-a") is None
    assert session_records.record_told(client, "s1", "c0", "vm-a", 100.5) == 100.5
    # A step rerun after telling again keeps the first moment: the recovery counts from it.
    client.environments.calls.clear()
    assert session_records.record_told(client, "s1", "c0", "vm-a", 180.0) == 100.5
    assert [call[0] for call in client.environments.calls] == ["get"]
    session_records.record_maintained(client, "s1", "c0", "2026-01-01T00:00:00")
    session_records.record_told(client, "s1", "c0", "vm-b", 120.0)
    session_records.record_told(client, "s2", "c0", "vm-a", 300.0)

    assert session_records.told_at(client, "s1", "c0", "vm-a") == 100.5
    assert session_records.told_at(client, "s1", "c1", "vm-a") is None
    record = session_records.read_session(client, "s1")["c0"]
    assert record["told"] == {"vm-a": 100.5, "vm-b": 120.0}
    assert record["maintained_at"] == "2026-01-01T00:00:00"


class FakeExecutions:
    def __init__(self, rows):
        self.rows = rows
        self.filters = None

    def list(self, **filters):
        self.filters = filters
        return [types.SimpleNamespace(input=row) for row in self.rows]


def test_plugins_succeeded_are_mistrals_successful_runs_on_the_host():
    runs = FakeExecutions(['{"host": "c0", "index": 1, "plugin": {}}', {"host": "c0", "index": 0},
                           {"host": "c1", "index": 2}, {"host": None, "index": None},
                           {"host": "c0", "index": 1}])
    client = types.SimpleNamespace(executions=runs)
    assert executions.plugins_succeeded(client, "s1", "c0") == [0, 1]
    assert runs.filters == {"root_execution_id": "s1", "workflow_name": "maintenance._run_plugin",
                            "state": "SUCCESS", "limit": -1}
