"""Fuzzing the reply, constraints and admin API from the OpenAPI description it publishes: no 5xx, ever.

The real API (server limits, routing, body reader, schemas, reply and
constraints rules, auth) runs on loopback over the unit tests' fake Mistral
(`api_fake_mistral`), which keeps it fast; each request goes to the API
without auth and to the API with keystone auth. Requests are drawn per described
operation: path ids (known ones and any text), bodies built from the
operation's own request schema (valid and invalid values mixed), any JSON,
raw bytes, deep nesting, NaN, other encodings, wrong Content-Length, other
methods, tokens and forged identity headers. The admin endpoints start, continue and
cancel sessions in the fake. Every answer must be a documented status with a
JSON error body, never 5xx. The run is seeded, so CI repeats it exactly.
"""

import json
import socket
import time
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fake_keystone
from api_fake_mistral import EPOCH_NOW, FakeMistral
from rolling_maintenance.api import ReplyAPI
from rolling_maintenance.api import body as request_body
from rolling_maintenance.api import openapi

REQUESTS = 10000
# Drawing costs more than a request: each example draws 4 requests, each sent to both APIs.
PER_EXAMPLE = 4
METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS")
KNOWN_IDS = ("s-1", "s-2", "p-1", "p-2", "g1", "vm-1", "vm-2", "group-x", "wf-1", "wf-2")
TOKENS = tuple(fake_keystone.token(project, roles) for project in ("p-1", "p-2", "ops")
               for roles in ("member", "admin"))
HEADER_TEXT = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7e), max_size=12)


def fake_mistral():
    mistral = FakeMistral()
    mistral.ask("s-1", "p-1", "PLANNED_MAINTENANCE", allowed_actions=["MIGRATE", "OWN_ACTION"])
    mistral.ask("s-1", "p-2", "MAINTENANCE")
    mistral.ask("s-2", "p-1", "SCALE_IN", reply_window_s=1)
    for state in ("RUNNING", "ERROR"):  # admin API sessions wf-1 and wf-2
        mistral.executions.create("maintenance.rolling", workflow_input={}).state = state
    return mistral


@pytest.fixture(scope="module")
def apis():
    mistral = fake_mistral()
    with pytest.MonkeyPatch.context() as patch:
        fake_keystone.install(patch)
        running = [ReplyAPI(mistral_client=mistral, clock=lambda: EPOCH_NOW),
                   ReplyAPI(mistral_client=mistral, auth="keystone", clock=lambda: EPOCH_NOW,
                            keystone_conf=fake_keystone.config())]
        for api in running:
            api.start()
        yield running
        for api in running:
            api.stop()


def operations(description):
    """`(path template, method, operation)` of every operation the description names."""
    return [(template, method.upper(), operation)
            for template, item in sorted(description["paths"].items())
            for method, operation in sorted(item.items()) if method != "parameters"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=12)


def values_for(schema):
    """Values a field's schema accepts, mixed with any JSON value (which it mostly refuses)."""
    options = [JSON]
    if "enum" in schema:
        options.append(st.sampled_from(schema["enum"]))
    for alternative in schema.get("oneOf", ()):
        options.append(values_for(alternative))
    types = schema.get("type", [])
    for kind in [types] if isinstance(types, str) else types:
        if kind == "string" and "pattern" in schema:
            options.append(st.from_regex(schema["pattern"], fullmatch=True))
            options.append(st.sampled_from(KNOWN_IDS))
        elif kind == "string":
            options.append(st.text(max_size=300))
        elif kind == "integer":
            options.append(st.integers(min_value=-2, max_value=10**6) | st.integers())
        elif kind == "array":
            options.append(st.lists(values_for(schema.get("items", {})), max_size=4))
        elif kind == "object" and "properties" in schema:
            options.append(objects_for(schema))
        elif kind == "boolean":
            options.append(st.booleans())
        elif kind == "null":
            options.append(st.none())
        elif kind == "object" and "additionalProperties" in schema:
            options.append(st.dictionaries(st.sampled_from(KNOWN_IDS) | st.text(max_size=8),
                                           values_for(schema["additionalProperties"]),
                                           max_size=4))
    return st.one_of(options)


def objects_for(schema):
    """Objects shaped by `schema`: its required fields present, or any of its fields, plus extras."""
    fields = {name: values_for(field) for name, field in schema.get("properties", {}).items()}
    required = {name: fields[name] for name in schema.get("required", ())}
    optional = {name: s for name, s in fields.items() if name not in required}
    return st.one_of(st.fixed_dictionaries(required, optional=optional),
                     st.fixed_dictionaries({}, optional=fields),
                     st.fixed_dictionaries(required, optional=dict(
                         optional, extra=JSON, **{"": JSON})))


def malformed():
    """Bodies no JSON reader should take, and some it takes only to find them absurd."""
    return st.one_of(
        st.binary(max_size=200),
        st.integers(1, 100000).map(lambda n: b"[" * n),
        st.integers(1, 2000).map(lambda n: b'{"state": ' + b"[" * n + b"]" * n + b"}"),
        st.integers(20, 60).map(lambda n: b'{"a": ' * n + b"1" + b"}" * n),
        st.sampled_from([b"NaN", b'{"state": Infinity}', b'{"recovery_time": -Infinity}',
                         b"\xef\xbb\xbf{}", b'{"state": "\\ud800"}', b"1" * 5000, b"{" * 3,
                         b'{"state": "ACK_PLANNED_MAINTENANCE"', b"\x00", b"null", b"[]"]),
        JSON.map(lambda v: json.dumps(v).encode("utf-16")),
        st.text(max_size=50).map(lambda t: json.dumps({"state": t}).encode("latin-1", "replace")),
    )


@st.composite
def requests_from(draw, description):
    template, method, operation = draw(st.sampled_from(operations(description)))
    ids = {}
    path = template
    for name in [p.split("}")[0] for p in template.split("{")[1:]]:
        ids[name] = draw(st.sampled_from(KNOWN_IDS) | st.text(max_size=20))
        path = path.replace("{%s}" % name, urllib.parse.quote(ids[name], safe=""))
    if draw(st.integers(0, 9)) == 0:
        method = draw(st.sampled_from(METHODS))
    schema_ref = (operation.get("requestBody", {}).get("content", {})
                  .get("application/json", {}).get("schema", {}).get("$ref"))
    body = None
    kind = draw(st.sampled_from(("schema", "schema", "json", "malformed", "none")))
    if kind == "schema" and schema_ref:
        value = draw(objects_for(description["components"]["schemas"][schema_ref.split("/")[-1]]))
        for name, path_id in ids.items():
            if name != "session_id" and name != "project_id" and draw(st.booleans()):
                value[name] = path_id
        body = json.dumps(value).encode()
    elif kind in ("json", "schema"):
        body = json.dumps(draw(JSON)).encode()
    elif kind == "malformed":
        body = draw(malformed())
    headers = {}
    length = draw(st.sampled_from(("exact", "exact", "exact", "more", "less", "text", "none")))
    size = len(body or b"")
    if length == "exact" and body is not None:
        headers["Content-Length"] = str(size)
    elif length == "more":
        headers["Content-Length"] = str(size + draw(st.integers(1, 100) | st.integers(
            request_body.MAX_BODY_BYTES - size, 4 * request_body.MAX_BODY_BYTES)))
    elif length == "less":
        headers["Content-Length"] = str(max(0, size - draw(st.integers(1, 10))))
    elif length == "text":
        headers["Content-Length"] = draw(st.sampled_from(("abc", "-1", "1e3", "0x10", "")))
    if draw(st.booleans()):
        headers["X-Auth-Token"] = draw(st.sampled_from(TOKENS) | HEADER_TEXT)
    if draw(st.booleans()):
        headers.update({"X-Identity-Status": draw(st.sampled_from(("Confirmed", "Invalid"))),
                        "X-Project-Id": draw(st.sampled_from(KNOWN_IDS) | HEADER_TEXT),
                        "X-Roles": draw(st.sampled_from(("admin", "member", "reader,Admin"))
                                        | HEADER_TEXT)})
    # An empty id, or one holding '/', no longer matches its template once decoded;
    # a project named "detail" is the admin's session detail.
    reshaped = any(not v or "/" in v for v in ids.values()) or ids.get("project_id") == "detail"
    return template, method, path, headers, body, reshaped


def described_matches(described, method, path):
    """The operations of `method` whose template the decoded `path` fits (a reshaped
    path, like `/v1/maintenance/` from an empty session id, is another operation's)."""
    parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/")]
    for (template, verb), operation in described.items():
        pattern = template.strip("/").split("/")
        if verb == method and len(pattern) == len(parts) and all(
                want == got or (want.startswith("{") and got)
                for want, got in zip(pattern, parts, strict=True)):
            yield operation


def send(api, method, path, headers, body):
    """Status and payload of one raw request; the client half-closes after its bytes."""
    head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n" % (method, path)
    head += "".join("%s: %s\r\n" % item for item in headers.items())
    with socket.create_connection((api.host, api.port), timeout=10) as sock:
        try:
            sock.sendall(head.encode("latin-1") + b"\r\n" + (body or b""))
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server answered and stopped reading; the answer is what counts
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def test_ten_thousand_fuzzed_requests_get_no_5xx(apis, record_property):
    description = json.loads(send(apis[0], "GET", openapi.PATH, {}, None)[1])
    described = {(template, method): operation
                 for template, method, operation in operations(description)}
    tally = {"requests": 0, "5xx": 0, "statuses": {}}

    @settings(max_examples=REQUESTS // (PER_EXAMPLE * len(apis)), deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(requests_from(description), min_size=PER_EXAMPLE, max_size=PER_EXAMPLE))
    def some_requests(drawn):
        for one in drawn:
            for api in apis:
                one_request(api, *one)

    def one_request(api, template, method, path, headers, body, reshaped):
        status, payload = send(api, method, path, headers, body)
        tally["requests"] += 1
        tally["statuses"][status] = tally["statuses"].get(status, 0) + 1
        tally["5xx"] += status >= 500
        assert status < 500, (method, path, headers, body[:200] if body else body, payload)
        operation = described.get((template, method))
        allowed = set(operation["responses"]) if operation else {"404", "405"}
        if reshaped:
            allowed |= {"404", "405"}
            for other in described_matches(described, method, path):
                allowed |= set(other["responses"])
        assert str(status) in allowed, (method, path, status, payload)
        if status >= 400 and method != "HEAD":
            error = json.loads(payload)["error"]
            assert error["code"] and error["message"]

    started = time.monotonic()
    some_requests()
    elapsed = time.monotonic() - started
    print("fuzzed %d requests in %.1f s: %d answers 5xx; statuses %s" % (
        tally["requests"], elapsed, tally["5xx"], dict(sorted(tally["statuses"].items()))))
    record_property("fuzz", dict(tally, seconds=round(elapsed, 1)))
    assert tally["requests"] >= REQUESTS and tally["5xx"] == 0
