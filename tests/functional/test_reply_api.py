"""A VNFM's conversation on the real Mistral: webhook in, instance list, reply out.

The simulator's Aodh holds the project's event alarm, the embedded Mistral
runs `maintenance.ask_project` (webhook driver), and the reply API completes
the waiting action execution; every refusal must leave the execution alone.
"""

import json
import os
import time

import openstack
import pytest
from aodhclient import client as aodh_client

from rolling_maintenance.embedded import stack
from rolling_maintenance.sim import ScaledClock, Simulator
from rolling_maintenance.wsgi_server import BackgroundServer

from conftest import http_call

INVENTORY = {
    "hosts": [{"name": "compute-0", "vcpus": 8, "ram_mb": 16384}],
    "projects": [{"id": "p1", "name": "vnf-one"}, {"id": "p2", "name": "vnf-two"}],
    "instances": [{"id": "vm-%d" % i, "project_id": "p1", "host": "compute-0", "vcpus": 1,
                   "ram_mb": 512} for i in (1, 2)],
}

WORKFLOW = """
version: '2.0'
reply_api_ask:
  input:
    - project
    - state
    - instance_ids
    - window
  output:
    reply: <% $.reply %>
  tasks:
    ask:
      action: maintenance.ask_project
      input:
        session_id: <% execution().id %>
        project_id: <% $.project %>
        state: <% $.state %>
        instance_ids: <% $.instance_ids %>
        reply_window_s: <% $.window %>
        metadata:
          openstack_version: Rocky
      timeout: <% $.window %>
      publish:
        reply: <% task().result %>
"""


class Receiver:
    """The VNFM's webhook endpoint: records each Aodh-style POST."""

    def __init__(self):
        self.posts = []
        self.server = BackgroundServer(self._app, name="vnfm-receiver")
        self.url = self.server.start() + "/maintenance"

    def _app(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        self.posts.append(json.loads(body))
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]

    def traits_for(self, session_id, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body in list(self.posts):
                traits = {n: v for n, _, v in body["reason_data"]["event"]["traits"]}
                if traits.get("session_id") == session_id:
                    return body, traits
            time.sleep(0.05)
        raise AssertionError("no webhook for session %s" % session_id)

    def stop(self):
        self.server.stop()


@pytest.fixture(scope="module")
def stack_env(tmp_path_factory):
    workdir = str(tmp_path_factory.mktemp("reply-api"))
    sim = Simulator.from_inventory(INVENTORY, clock=ScaledClock(speed=50))
    sim.start()
    receiver = Receiver()
    clouds_yaml = sim.clouds_yaml(os.path.join(workdir, "clouds.yaml"))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OS_", "ROLLING_MAINTENANCE_"))}
    env.update(OS_CLIENT_CONFIG_FILE=clouds_yaml, OS_CLOUD="sim-admin",
               ROLLING_MAINTENANCE_NOTIFY_DRIVER="webhook")
    # The embedded stack starts the reply API beside Mistral and tells the
    # actions its URL.
    mistral = stack.EmbeddedMistral(workdir, env=env)
    try:
        mistral.start()
        api_url = mistral.reply_api_url
        session = openstack.connect(load_yaml_config=False, load_envvars=False,
                                    **sim.project_credentials("p1")).session
        aodh = aodh_client.Client("2", session=session, interface="public",
                                  region_name="RegionOne")
        aodh.alarm.create({"name": "vnfm", "type": "event", "repeat_actions": True,
                           "event_rule": {"event_type": "maintenance.scheduled", "query": []},
                           "alarm_actions": [receiver.url]})
        client = mistral.client()
        client.workflows.create(WORKFLOW)
        yield {"client": client, "receiver": receiver, "api_url": api_url}
    finally:
        mistral.stop()
        receiver.stop()
        sim.stop()


def start(env, state, window=30, project="p1", instance_ids=("vm-1", "vm-2")):
    execution = env["client"].executions.create(
        "reply_api_ask", workflow_input={"project": project, "state": state,
                                         "instance_ids": list(instance_ids), "window": window})
    return execution.id


def wait_done(env, execution_id, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        execution = env["client"].executions.get(execution_id)
        if execution.state in ("SUCCESS", "ERROR"):
            return execution
        time.sleep(0.1)
    raise AssertionError("execution %s still %s" % (execution_id, execution.state))


def ask_execution(env, execution_id):
    [task] = env["client"].tasks.list(workflow_execution_id=execution_id)
    [action] = env["client"].action_executions.list(task_execution_id=task.id)
    return task, env["client"].action_executions.get(action.id)


def test_ack_continues_the_workflow_and_repeats_change_nothing(stack_env):
    session = start(stack_env, "PLANNED_MAINTENANCE")
    body, traits = stack_env["receiver"].traits_for(session)
    url = "%s/v1/maintenance/%s/p1" % (stack_env["api_url"], session)
    assert body["alarm_name"] == "vnfm" and body["current"] == "alarm"
    assert body["reason_data"]["event"]["event_type"] == "maintenance.scheduled"
    assert traits["state"] == "PLANNED_MAINTENANCE"
    assert traits["project_id"] == traits["tenant_id"] == "p1"
    assert traits["instance_ids"] == traits["reply_url"] == url
    assert traits["allowed_actions"] == "['MIGRATE', 'LIVE_MIGRATE', 'OWN_ACTION']"
    assert traits["metadata"] == "{'openstack_version': 'Rocky'}"
    assert traits["reply_at"].endswith("Z") and traits["actions_at"].endswith("Z")

    status, listed = http_call("GET", traits["instance_ids"])
    assert status == 200 and listed["instance_ids"] == ["vm-1", "vm-2"]

    status, error = http_call("PUT", url, {"state": "ACK_MAINTENANCE", "session_id": session})
    assert status == 400 and "PLANNED_MAINTENANCE" in error["error"]["message"]
    status, error = http_call("PUT", url, {"state": "ACK_PLANNED_MAINTENANCE",
                                      "instance_actions": {"vm-9": "MIGRATE"}})
    assert status == 400 and "vm-9" in error["error"]["message"]
    assert ask_execution(stack_env, session)[1].state == "RUNNING"

    reply = {"state": "ACK_PLANNED_MAINTENANCE", "session_id": session,
             "instance_actions": {"vm-1": "LIVE_MIGRATE", "vm-2": "OWN_ACTION"}}
    status, accepted = http_call("PUT", url, reply)
    assert status == 200 and accepted["accepted"] is True
    execution = wait_done(stack_env, session)
    assert execution.state == "SUCCESS", execution.state_info
    expected = {"project_id": "p1", "state": "ACK_PLANNED_MAINTENANCE",
                "instance_actions": {"vm-1": "LIVE_MIGRATE", "vm-2": "OWN_ACTION"}}
    assert json.loads(execution.output)["reply"] == expected

    _, before = ask_execution(stack_env, session)
    status, again = http_call("PUT", url, reply)
    assert status == 200 and again["repeated"] is True
    status, _ = http_call("PUT", url, {"state": "ACK_PLANNED_MAINTENANCE",
                                  "instance_actions": {"vm-1": "MIGRATE"}})
    assert status == 409
    _, after = ask_execution(stack_env, session)
    assert (after.state, after.output, after.updated_at) == (
        before.state, before.output, before.updated_at)


def test_nack_fails_the_task_with_the_reason(stack_env):
    session = start(stack_env, "MAINTENANCE", instance_ids=["vm-1"])
    _, traits = stack_env["receiver"].traits_for(session)
    assert traits["allowed_actions"] == "[]"
    status, _ = http_call("PUT", traits["reply_url"], {"state": "NACK_MAINTENANCE"})
    assert status == 200
    execution = wait_done(stack_env, session)
    assert execution.state == "ERROR"
    task, action = ask_execution(stack_env, session)
    assert task.state == "ERROR" and action.state == "ERROR"
    assert "p1" in task.state_info and "NACK_MAINTENANCE" in task.state_info


def test_no_reply_times_out_and_a_late_reply_is_409(stack_env):
    session = start(stack_env, "SCALE_IN", window=2, instance_ids=["vm-2"])
    _, traits = stack_env["receiver"].traits_for(session)
    execution = wait_done(stack_env, session)
    assert execution.state == "ERROR"
    task, before = ask_execution(stack_env, session)
    assert task.state == "ERROR" and "timed out" in task.state_info.lower()
    status, error = http_call("PUT", traits["reply_url"], {"state": "ACK_SCALE_IN"})
    assert status == 409 and "closed" in error["error"]["message"]
    _, after = ask_execution(stack_env, session)
    assert (after.state, after.output) == (before.state, before.output)
    assert stack_env["client"].executions.get(session).state == "ERROR"


def test_a_project_without_subscription_fails_at_once(stack_env):
    session = start(stack_env, "MAINTENANCE", project="p2", instance_ids=[])
    execution = wait_done(stack_env, session, timeout=15)
    assert execution.state == "ERROR"
    task, _ = ask_execution(stack_env, session)
    assert "not_delivered" in task.state_info and "p2" in task.state_info
