"""One reading of times: the session input's, the notifications', Mistral's own."""

import datetime

import pytest

from rolling_maintenance.workflow import times
from rolling_maintenance.workflow.times import parse_time

UTC = datetime.timezone.utc


@pytest.mark.parametrize("text", ["2026-11-22T10:00:00Z", "2026-11-22T10:00:00z", "2026-11-22T10:00:00",
                                  "2026-11-22 10:00:00", "2026-11-22T12:00:00+02:00"])
def test_every_spelling_of_one_moment(text):
    assert parse_time(text) == datetime.datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def test_mistral_fractions_of_a_second_are_kept():
    assert parse_time("2026-11-22 10:00:00.250000").microsecond == 250000


@pytest.mark.parametrize("text", ["tomorrow", "", None, 1700000000])
def test_what_is_not_a_time_is_named(text):
    with pytest.raises(ValueError, match="is not an ISO 8601 time"):
        parse_time(text)


NOON = datetime.datetime(2026, 11, 22, 12, 0, 0, tzinfo=datetime.timezone.utc)


def test_seconds_until_rounds_up_and_stops_at_zero():
    assert times.seconds_until("2026-11-22T12:05:00Z", NOON) == 300
    assert times.seconds_until("2026-11-22 12:00:00.2", NOON) == 1
    assert times.seconds_until("2026-11-22T11:00:00Z", NOON) == 0, "passed: no wait"
    assert times.seconds_until(None, NOON) == 0


def test_not_before_is_the_later_time():
    assert times.not_before("2026-11-22T12:05:00Z", NOON) == NOON + datetime.timedelta(minutes=5)
    assert times.not_before("2026-11-22T11:00:00Z", NOON) == NOON
    assert times.not_before(None, NOON) == NOON


def test_iso_z_is_utc_whole_seconds():
    moment = datetime.datetime(2026, 11, 22, 13, 0, 0, 500, tzinfo=datetime.timezone(
        datetime.timedelta(hours=1)))
    assert times.iso_z(moment) == "2026-11-22T12:00:00Z"
