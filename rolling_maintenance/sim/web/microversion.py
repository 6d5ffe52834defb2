"""Nova microversions: read from `OpenStack-API-Version: compute X.Y` or the
legacy `X-OpenStack-Nova-API-Version`, default 2.1, echoed in both headers."""

import re

from rolling_maintenance.sim import errors

MIN = (2, 1)
MAX = (2, 96)
_FORMAT = re.compile(r"^([1-9]\d*)\.([1-9]\d*|0)$")


def text(version):
    return "%d.%d" % version


def _requested(request):
    header = request.header("openstack-api-version")
    if header:
        for part in header.split(","):
            words = part.strip().split()
            if len(words) == 2 and words[0].lower() == "compute":
                return words[1]
    return request.header("x-openstack-nova-api-version")


def parse(request):
    """The microversion of `request` as a (major, minor) tuple."""
    value = _requested(request)
    if value is None:
        return MIN
    value = value.strip()
    if value.lower() == "latest":
        return MAX
    found = _FORMAT.match(value)
    if found is None:
        raise errors.BadRequest("API Version String %s is of invalid format. Must be of format "
                                "MajorNum.MinorNum." % value)
    version = (int(found.group(1)), int(found.group(2)))
    if not MIN <= version <= MAX:
        raise errors.NotAcceptable("Version %s is not supported by the API. Minimum is %s and "
                                   "maximum is %s." % (value, text(MIN), text(MAX)))
    return version


def headers(version):
    return {"OpenStack-API-Version": "compute " + text(version),
            "X-OpenStack-Nova-API-Version": text(version),
            "Vary": "OpenStack-API-Version, X-OpenStack-Nova-API-Version"}
