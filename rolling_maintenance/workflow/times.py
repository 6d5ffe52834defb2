"""The one reading of a time the session is given or keeps: ISO 8601, UTC unless it says otherwise."""

import datetime
import math


def parse_time(text):
    """An aware UTC datetime from ISO 8601 text: `Z`, an offset, or no zone
    (UTC, as Mistral writes its own times: `2026-11-22 10:00:00.123`).

    Raises `ValueError` naming the text when it is not such a time.
    """
    try:
        cleaned = text.strip()
        if cleaned.endswith("z"):
            cleaned = cleaned[:-1] + "Z"
        moment = datetime.datetime.fromisoformat(cleaned)
    except (AttributeError, TypeError, ValueError):
        raise ValueError("%r is not an ISO 8601 time (like 2026-11-22T10:00:00Z)" % (text,)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)


def iso_z(moment):
    """`2026-11-22T10:00:00Z`: an aware datetime as the session keeps and announces it."""
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def seconds_until(text, now):
    """Whole seconds from `now` (aware) until the time `text`, rounded up; 0 once it
    has passed, or when there is no time (`None`: start at once)."""
    if text is None:
        return 0
    return max(0, math.ceil((parse_time(text) - now).total_seconds()))


def not_before(text, now):
    """The later of the time `text` and `now`: when the actions announced for it
    can start (`None` means now)."""
    if text is None:
        return now
    return max(parse_time(text), now)
