"""Session input: every bad field is named, and a good input is normalised."""

import datetime

from rolling_maintenance.workflow import session_input
from rolling_maintenance.workflow.session_input import DEFAULTS, read_fields, schema_errors, validate_session_input

NOW = datetime.datetime(2026, 11, 22, 10, 0, 0, tzinfo=datetime.timezone.utc)
HOSTS = {"compute-0", "compute-1", "compute-2"}
WORKFLOWS = {"maintenance.sample_host_upgrade"}
ACTIONS = {"std.noop"}


def check(raw):
    return validate_session_input(raw, HOSTS, WORKFLOWS, ACTIONS, NOW)


def test_empty_hosts_means_every_compute_host():
    session, errors = check({"hosts": []})
    assert errors == []
    assert session["hosts"] == ["compute-0", "compute-1", "compute-2"]
    assert session["maintenance_at"] is None


def test_unknown_host_is_named():
    session, errors = check({"hosts": ["compute-0", "compute-9"]})
    assert session is None
    assert errors == ["hosts: unknown compute host(s): compute-9"]


def test_maintenance_at_is_kept_as_a_time_not_a_delay():
    session, errors = check({"maintenance_at": "2026-11-22T10:05:00Z"})
    assert errors == [] and session["maintenance_at"] == "2026-11-22T10:05:00Z"
    assert "start_delay_s" not in session, "the wait is measured when the replies are in"
    session, _ = check({"maintenance_at": "2026-11-22 09:00:00"})
    assert session["maintenance_at"] == "2026-11-22T09:00:00Z", "Fenix's format, UTC"
    session, _ = check({"maintenance_at": "2026-11-22T12:00:00+02:00"})
    assert session["maintenance_at"] == "2026-11-22T10:00:00Z"


def test_unparseable_maintenance_at_is_named():
    _, errors = check({"maintenance_at": "tomorrow at noon"})
    assert errors == ["maintenance_at: 'tomorrow at noon' is not an ISO 8601 time (like 2026-11-22T10:00:00Z)"]


def test_negative_reply_window_is_named():
    _, errors = check({"project_maintenance_reply": -5})
    assert len(errors) == 1 and errors[0].startswith("project_maintenance_reply:")


def test_unknown_plugin_and_bad_type_are_named():
    _, errors = check({"actions": [{"plugin": "no.such", "type": "host"}]})
    assert errors == ["actions[0].plugin: 'no.such' is neither a Mistral workflow nor an action"]
    _, errors = check({"actions": [{"plugin": "std.noop", "type": "during"}]})
    assert len(errors) == 1 and errors[0].startswith("actions[0].type:")


def test_plugins_are_grouped_by_type_in_the_order_given():
    session, errors = check({"actions": [
        {"plugin": "maintenance.sample_host_upgrade", "type": "host", "metadata": {"v": 2}},
        {"plugin": "std.noop", "type": "pre"},
        {"plugin": "std.noop", "type": "host"},
    ]})
    assert errors == []
    assert session["plugins"] == {
        "pre": [{"plugin": "std.noop", "kind": "action", "metadata": {}}],
        "host": [
            {"plugin": "maintenance.sample_host_upgrade", "kind": "workflow", "metadata": {"v": 2}},
            {"plugin": "std.noop", "kind": "action", "metadata": {}},
        ],
        "post": [],
    }


def test_options_are_carried_over():
    session, errors = check({"unsubscribed": "migrate", "project_scale_in_reply": 30, "metadata": {"a": 1}})
    assert errors == []
    assert session["unsubscribed"] == "migrate"
    assert session["project_scale_in_reply"] == 30
    assert session["metadata"] == {"a": 1}


def test_bad_option_values_are_named():
    _, errors = check({"unsubscribed": "ignore", "hosts": "compute-0"})
    assert [e.split(":")[0] for e in errors] == ["hosts", "unsubscribed"]


def test_every_field_has_its_default_when_not_given():
    session, errors = check({})
    assert errors == []
    for name, default in DEFAULTS.items():
        if name not in ("hosts", "actions"):
            assert session[name] == default, name
    assert session["all_hosts"] is True


def test_a_misspelt_field_is_named():
    _, errors = check({"host": ["compute-0"]})
    assert errors == ["input: Additional properties are not allowed ('host' was unexpected)"]


def test_an_input_that_is_not_an_object_is_named():
    assert check(["compute-0"]) == (None, ["input: must be an object, got list"])


def test_the_defaults_fit_the_schema_and_are_not_shared():
    assert schema_errors(DEFAULTS) == []
    fields, _ = read_fields({})
    fields["hosts"].append("compute-0")
    assert DEFAULTS["hosts"] == []


def test_a_host_is_looked_at_until_its_return_timeout_every_few_seconds_at_most():
    for timeout in (1, 2, 7, 60, 300, 3601):
        polls, delay = session_input.host_return_polls(timeout)
        assert 1 <= delay <= session_input.HOST_RETURN_POLL_S
        assert polls * delay >= timeout and (polls - 1) * delay < timeout
    assert session_input.host_return_polls(300) == (30, 10)
