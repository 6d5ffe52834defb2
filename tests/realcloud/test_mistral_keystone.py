"""Mistral behind the test bed's Keystone: sessions outlive their starter's token, and
the constraints tenants register through the API are the ones the planner reads.

The embedded Mistral runs with `[pecan] auth_enable = True` and a
`[keystone_authtoken]` section (the bed's `mistral` service user); its
actions run with `ROLLING_MAINTENANCE_CLOUD=maintenance`, the project's
service identity, which the reply API also talks to Mistral as. Verdicts come
from Nova's records and from Mistral's own (environments and their projects).
"""

import json
import os
import time

import pytest
import requests
from mistralclient.api import client as mistral_api

from rolling_maintenance.api import ReplyAPI
from rolling_maintenance.api import keystone_auth
from rolling_maintenance.embedded import stack
from rolling_maintenance.mistral import client as mistral_client
from rolling_maintenance.mistral import constraints as mistral_constraints

SERVICE = "maintenance"


def auth_url(testbed):
    return json.loads(open(testbed.clouds_yaml).read())["clouds"]["admin"]["auth"]["auth_url"]


def authtoken_section(testbed, user):
    return f"""[keystone_authtoken]
www_authenticate_uri = {auth_url(testbed)}
auth_type = password
auth_url = {auth_url(testbed)}
username = {user}
password = {user}
project_name = service
user_domain_name = Default
project_domain_name = Default
"""


@pytest.fixture(scope="module")
def mistral(testbed, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("keystone-mistral")
    overlay = workdir / "keystone.conf"
    overlay.write_text("[pecan]\nauth_enable = True\n\n" + authtoken_section(testbed, "mistral"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(OS_CLIENT_CONFIG_FILE=testbed.clouds_yaml,
               ROLLING_MAINTENANCE_CLOUD=SERVICE)
    with stack.EmbeddedMistral(str(workdir), env=env, config_files=[str(overlay)],
                               cloud=SERVICE) as running:
        yield running


@pytest.fixture(scope="module")
def keystone_api(testbed, mistral, tmp_path_factory):
    """The API in keystone mode, talking to Mistral as the service identity."""
    conf_path = tmp_path_factory.mktemp("api") / "api.conf"
    conf_path.write_text(authtoken_section(testbed, SERVICE))
    # The API finds its cloud through the environment; put back whatever was
    # there, so no later test reads the test bed's clouds.yaml by accident.
    before = os.environ.get("OS_CLIENT_CONFIG_FILE")
    os.environ["OS_CLIENT_CONFIG_FILE"] = testbed.clouds_yaml
    api = ReplyAPI(mistral.url, auth="keystone", cloud=SERVICE,
                   keystone_conf=keystone_auth.load_config([str(conf_path)]))
    try:
        api.start()
        yield api
        api.stop()
    finally:
        if before is None:
            os.environ.pop("OS_CLIENT_CONFIG_FILE", None)
        else:
            os.environ["OS_CLIENT_CONFIG_FILE"] = before


def as_token(mistral, token):
    """A Mistral client that carries exactly this token (no way to get another)."""
    return mistral_api.client(mistral_url=mistral.url, auth_token=token)


def wait_end(client, execution_id, timeout=600):
    deadline = time.monotonic() + timeout
    while True:
        execution = client.executions.get(execution_id)
        if execution.state in ("SUCCESS", "ERROR", "CANCELLED"):
            return execution
        assert time.monotonic() < deadline, f"execution still {execution.state}"
        time.sleep(1)


def revoke(testbed, token):
    admin = testbed.connect("admin")
    answer = admin.session.delete("/auth/tokens", endpoint_filter={"service_type": "identity"},
                                  headers={"X-Subject-Token": token})
    assert answer.status_code == 204


def test_mistral_refuses_a_call_without_a_valid_token(mistral):
    answer = requests.get(mistral.url + "/executions", timeout=30)
    assert answer.status_code == 401
    forged = requests.get(mistral.url + "/executions", timeout=30,
                          headers={"X-Auth-Token": "gAAAAAnot-a-token", "X-Roles": "admin",
                                   "X-Project-Id": "admin"})
    assert forged.status_code == 401


def test_a_session_outlives_the_token_that_started_it(testbed, mistral, workload, records):
    ids = [workload.boot("tenant-a", f"ks-a-{i}") for i in range(2)]
    workload.wait_active(ids)
    host = records.host_of(ids[0])
    leaving = sorted(s for s in ids if records.host_of(s) == host)
    token = testbed.connect("admin").session.get_token()
    execution = as_token(mistral, token).executions.create(
        "maintenance.maintain_one_host", workflow_input={"host": host})
    # Keystone now refuses the starter's token, as it would once it expired.
    revoke(testbed, token)
    assert requests.get(testbed.connect("admin").compute.get_endpoint() + "/servers",
                        headers={"X-Auth-Token": token}, timeout=30).status_code == 401

    ended = wait_end(mistral_client.for_service(mistral.url, cloud=SERVICE), execution.id)
    assert ended.state == "SUCCESS", ended.state_info
    for server in leaving:
        (migration,) = records.migrations(server)
        assert (migration["source_compute"], migration["status"]) == (host, "completed")
        assert records.host_of(server) != host
    assert records.services()[host]["status"] == "enabled"


def group(project_id, group_id):
    return {"group_id": group_id, "project_id": project_id, "group_name": "pair",
            "anti_affinity_group": True, "max_instances_per_host": 1, "max_impacted_members": 1,
            "recovery_time": 10, "resource_mitigation": False}


def test_constraints_registered_through_the_api_are_what_the_planner_reads(
        testbed, mistral, keystone_api, monkeypatch):
    tenant_a, tenant_b = testbed.connect("tenant-a"), testbed.connect("tenant-b")
    mine = group(tenant_a.current_project_id, "ks-pair")
    answer = requests.put(keystone_api.url + "/v1/instance_group/ks-pair", json=mine, timeout=30,
                          headers={"X-Auth-Token": tenant_a.session.get_token()})
    assert answer.status_code == 200, answer.text
    # Another project writes a like-named environment straight into Mistral.
    forged = dict(group(tenant_a.current_project_id, "ks-forged"), max_impacted_members=2)
    as_token(mistral, tenant_b.session.get_token()).environments.create(
        name="maintenance-instance-group-ks-forged", variables=json.dumps(forged))

    service = mistral_client.for_service(mistral.url, cloud=SERVICE)
    stored = {e.name: e.project_id for e in service.environments.list()}
    service_project = testbed.connect(SERVICE).current_project_id
    assert stored["maintenance-instance-group-ks-pair"] == service_project
    assert stored["maintenance-instance-group-ks-forged"] == tenant_b.current_project_id

    # What the planning action reads, where the actions run (ROLLING_MAINTENANCE_CLOUD).
    monkeypatch.setenv("ROLLING_MAINTENANCE_CLOUD", SERVICE)
    monkeypatch.setenv("ROLLING_MAINTENANCE_MISTRAL_URL", mistral.url)
    client = mistral_client.for_action(None)
    loaded = mistral_constraints.load_constraints(client, mistral_client.own_project_id(client))
    assert loaded["groups"]["ks-pair"] == mine
    assert "ks-forged" not in loaded["groups"]


def test_the_workbooks_are_public_and_a_member_cannot_run_maintenance(testbed, mistral, records):
    """The service identity uploads the workbooks for admins of every project; a
    member may start a session, whose first action refuses to act for it."""
    service = mistral_client.for_service(mistral.url, cloud=SERVICE)
    assert {w.name: w.scope for w in service.workbooks.list()} == {"maintenance": "public"}
    member = as_token(mistral, testbed.connect("tenant-a").session.get_token())
    execution = member.executions.create("maintenance.maintain_one_host",
                                         workflow_input={"host": sorted(testbed.hosts)[0]})
    ended = wait_end(service, execution.id, timeout=120)
    assert ended.state == "ERROR"
    assert "only a caller with the admin role may run maintenance" in ended.state_info
    assert {s["status"] for s in records.services().values()} == {"enabled"}
