"""`maintenance.seconds_until`: the wait before the work, measured when the session gets there."""

import datetime

from mistral_lib.actions import base as ml_base

from rolling_maintenance.actions import timing

NOW = datetime.datetime(2026, 11, 22, 10, 0, 0, tzinfo=datetime.timezone.utc)


def test_the_wait_is_what_is_left_until_maintenance_at(monkeypatch):
    monkeypatch.setattr(timing, "utcnow", lambda: NOW)
    assert timing.SecondsUntilAction("2026-11-22T10:00:30Z").run(None) == 30
    monkeypatch.setattr(timing, "utcnow", lambda: NOW + datetime.timedelta(seconds=20))
    assert timing.SecondsUntilAction("2026-11-22T10:00:30Z").run(None) == 10
    monkeypatch.setattr(timing, "utcnow", lambda: NOW + datetime.timedelta(minutes=5))
    assert timing.SecondsUntilAction("2026-11-22T10:00:30Z").run(None) == 0, "continued later"
    assert timing.SecondsUntilAction(None).run(None) == 0


def test_a_bad_time_is_an_error_result_naming_it():
    result = timing.SecondsUntilAction("soon").run(None)
    assert result.is_error() and "'soon'" in result.error["message"]


def test_survives_mistrals_rebuild_without_init(monkeypatch):
    monkeypatch.setattr(timing, "utcnow", lambda: NOW)
    serializer = ml_base.ActionSerializer()
    rebuilt = serializer.deserialize_from_dict(
        serializer.serialize_to_dict(timing.SecondsUntilAction("2026-11-22T10:01:00Z")))
    assert rebuilt.run(None) == 60
