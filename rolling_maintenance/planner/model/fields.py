"""Checks for the fields of plain-dict input, each adding a message that
names the entry and the field, so one pass reports every problem."""


def describe(value):
    """A short rendering of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_name(value):
    return isinstance(value, str) and value != ""


def is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def name_field(item, key, where, errors, required=True):
    """A non-empty string (or None when optional and absent/null)."""
    value = item.get(key)
    if value is None and not required:
        return None
    if not is_name(value):
        errors.append("%s: '%s' must be a non-empty string, got %s" % (where, key, describe(value)))
        return None
    return value


def count_field(item, key, where, errors, default=None):
    """A non-negative integer; `default` when absent, else it is required."""
    if key not in item or item[key] is None:
        if default is not None:
            return default
        errors.append("%s: '%s' is required" % (where, key))
        return None
    value = item[key]
    if not is_count(value):
        errors.append("%s: '%s' must be a non-negative integer, got %s" % (where, key, describe(value)))
        return None
    return value


def choice_field(item, key, choices, where, errors, default=None):
    """One of `choices`, or `default` when absent/null."""
    value = item.get(key)
    if value is None:
        return default
    if value not in choices:
        errors.append("%s: '%s' must be one of %s, got %s" % (
            where, key, ", ".join(choices), describe(value)))
        return None
    return value


def list_field(container, key, where, errors, required=False):
    """A list (empty when absent/null and not required)."""
    if key not in container or container[key] is None:
        if required:
            errors.append("%s: '%s' is required" % (where, key))
        return []
    value = container[key]
    if not isinstance(value, list):
        errors.append("%s: '%s' must be a list, got %s" % (where, key, type(value).__name__))
        return []
    return value
