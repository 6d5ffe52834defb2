"""Helpers the Nova handlers share: policy checks, flags, pagination."""

from urllib.parse import urlencode

from rolling_maintenance.sim import errors

MAX_LIMIT = 1000
TRUE = ("1", "t", "true", "on", "y", "yes")
FALSE = ("0", "f", "false", "off", "n", "no")


def require_admin(request, rule):
    """Nova's default policy for admin APIs: 403 naming the rule."""
    if not request.actor.is_admin:
        raise errors.Forbidden("Policy doesn't allow %s to be performed." % rule)


def flag(name, value):
    lowered = str(value).strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise errors.BadRequest("Invalid input for query parameter %s: unrecognized value '%s', "
                            "acceptable values are: %s" % (name, value, ", ".join(TRUE + FALSE)))


def paginate(request, items, collection_path, links_key):
    """Nova's limit/marker paging: at most MAX_LIMIT items and a `next` link.

    `items` are (id, view) pairs already in order; returns (views, extra body).
    """
    limit = request.arg("limit")
    if limit is not None:
        try:
            limit = int(limit)
        except ValueError:
            raise errors.BadRequest("limit param must be an integer") from None
        if limit < 0:
            raise errors.BadRequest("limit param must be positive")
    limit = MAX_LIMIT if limit is None else min(limit, MAX_LIMIT)
    marker = request.arg("marker")
    start = 0
    if marker is not None:
        ids = [item_id for item_id, _ in items]
        if marker not in ids:
            raise errors.BadRequest("marker [%s] not found" % marker)
        start = ids.index(marker) + 1
    page = items[start:start + limit]
    extra = {}
    if page and start + limit < len(items):
        params = [(k, v) for k, values in request.query.items() if k not in ("limit", "marker")
                  for v in values]
        params += [("limit", limit), ("marker", page[-1][0])]
        href = "%s/compute/v2.1%s?%s" % (request.base_url, collection_path, urlencode(params))
        extra[links_key] = [{"rel": "next", "href": href}]
    return [view for _, view in page], extra


def check_keys(value, allowed, where):
    """Nova's schemas reject unknown keys: 400 naming them."""
    if not isinstance(value, dict):
        raise errors.BadRequest("Invalid input for field/attribute %s. Value: %r. %r is not of "
                                "type 'object'" % (where, value, value))
    unexpected = sorted(set(value) - set(allowed))
    if unexpected:
        raise errors.BadRequest("Invalid input for field/attribute %s. Additional properties are "
                                "not allowed (%s %s unexpected)" % (
                                    where, ", ".join(repr(k) for k in unexpected),
                                    "was" if len(unexpected) == 1 else "were"))
