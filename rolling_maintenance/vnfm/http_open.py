"""Open a URL the way the VNFM needs: loopback never goes through a proxy.

A machine-wide `http_proxy` would otherwise send the calls to the local
simulator or reply API off to the proxy, which cannot reach them.
"""

import ipaddress
import urllib.parse
import urllib.request

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def is_loopback(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def open_url(request, timeout):
    """`urlopen` for a `Request` (or URL), direct when the target is on this machine."""
    url = request.full_url if isinstance(request, urllib.request.Request) else request
    opener = _DIRECT if is_loopback(url) else urllib.request.build_opener()
    return opener.open(request, timeout=timeout)
