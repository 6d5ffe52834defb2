"""The one reading of a time the session is given or keeps: ISO 8601, UTC unless it says otherwise."""

import datetime


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
