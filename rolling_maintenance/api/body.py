"""Request bodies: read within the API's limits and parsed as JSON, or refused with a clear 4xx.

Every body the API accepts is a small JSON object; anything else (too large,
shorter than announced, too slow, not UTF-8, not JSON, NaN or Infinity,
nested deeper than any real body) is answered before a rule looks at it.
"""

import json

from rolling_maintenance.api import errors

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32


def read(environ, what):
    """The body's bytes as its Content-Length announces them; `what` tells what was expected."""
    declared = environ.get("CONTENT_LENGTH") or "0"
    try:
        length = int(declared)
    except ValueError:
        raise errors.bad_request("Content-Length is not a number: %r" % declared) from None
    if length > MAX_BODY_BYTES:
        raise errors.ApiError(413, "too_large", "the body is larger than %d bytes" % MAX_BODY_BYTES)
    if length <= 0:
        raise errors.bad_request("the body is empty: %s" % what)
    try:
        raw = environ["wsgi.input"].read(length)
    except TimeoutError:
        raise errors.ApiError(408, "timeout", "the body of %d bytes (Content-Length) did not "
                                              "arrive in time" % length) from None
    except OSError as exc:
        raise errors.bad_request("the body could not be read: %s" % exc) from None
    if len(raw) < length:
        raise errors.bad_request("the body has %d bytes, fewer than its Content-Length %d"
                                 % (len(raw), length))
    return raw


def _refuse_constant(name):
    raise ValueError("%s is not a JSON number" % name)


def _depth(value):
    """How deeply `value` nests arrays and objects, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item \
            if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


def parse_json(raw):
    """The JSON value of the body bytes, or a 400 `ApiError` saying what is wrong with them."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise errors.bad_request("the body is not UTF-8: %s" % exc) from None
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise errors.bad_request("the body nests deeper than %d levels" % MAX_DEPTH) from None
    except ValueError as exc:
        raise errors.bad_request("the body is not JSON: %s" % exc) from None
    if _depth(value) > MAX_DEPTH:
        raise errors.bad_request("the body nests deeper than %d levels" % MAX_DEPTH)
    return value
