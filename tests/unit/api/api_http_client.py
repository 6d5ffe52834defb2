"""A raw HTTP client for the API tests: status, parsed JSON body, response."""

import http.client
import json
import urllib.parse


def request(url, method, path, body=None, headers=None, raw=None):
    """Send `body` as JSON (or `raw` bytes as they are); every answer with a
    body must be JSON; a body-less answer (204) gives None."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    connection.request(method, path, body=data, headers=headers or {})
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    if not payload:
        return response.status, None, response
    assert response.getheader("Content-Type") == "application/json"
    return response.status, json.loads(payload), response
