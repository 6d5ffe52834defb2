"""Application managers that behave as the public clients of Fenix do, for tests.

Each is a port of what one client does on the wire, read from its public
code and written anew: how it finds the API, how it decodes the Aodh
webhook's traits, what it decides in each state, what it replies and how it
retries. They are not products; they run against the simulated cloud,
doing their cloud work through the project's own Nova and Aodh.

- `DoctorSampleAppManager`: OPNFV Doctor's `app_manager/sample.py` (the
  `default` workflow): traits decoded with a YAML parser, the instance list
  read from the `instance_ids` URL, MIGRATE for every instance, the
  active/standby pair switched over before its active member moves, two
  instances scaled in and back out, one PUT per reply without retry.
- `DoctorVnfm`: OPNFV Doctor's `app_manager/vnfm.py` (the `vnf` workflow):
  the API found with keystoneclient's `services.list()`/`endpoints.list()`,
  its constraints PUT there (a group per kind of instance, one per
  instance, `migration_type` MIGRATION), one question per instance answered
  with `instance_action`, the token in `X-Auth-Token`.
- `TackerVnfm`: Tacker's `plugins/fenix.py` behind its alarm receiver (the
  `vnf` workflow): traits that look like lists or dicts evaluated as Python
  literals, the keys it requires, the API found with
  `session.get_endpoint(service_type='maintenance')`, ACK only while the VNF
  is ACTIVE, every PUT retried until it is answered 200 (5 times, 5 s
  apart), `instance_action` from the VNF's maintenance config, a receipt for
  INSTANCE_ACTION_DONE, scaling by its scaling policy.
"""

import ast
import json
import threading
import time
import uuid

import openstack
import requests
import yaml
from keystoneclient.v3 import client as keystone_client

from rolling_maintenance import audit
from rolling_maintenance.vnfm.tenant_cloud import TenantCloud
from rolling_maintenance.wsgi_server import BackgroundServer

EVENT_TYPE = "maintenance.scheduled"
JSON = {"Content-Type": "application/json", "Accept": "application/json"}


class PortedManager:
    """What the ports share: a webhook server, the project's cloud, records.

    `received`: the decoded payloads; `replies`: `{"state", "status",
    "attempts", "url"}` per reply; `errors`: what the handler raised (its
    web framework would answer 500); `role_log`: `[(t, active instance)]`
    on the simulator's clock, for the downtime verdict.
    """

    name = "ported"

    def __init__(self, sim, project_id):
        self.sim = sim
        self.project_id = project_id
        self.cloud = TenantCloud.from_credentials(**sim.project_credentials(project_id))
        self.clock = sim.clock.now
        self.received, self.replies, self.errors, self.role_log = [], [], [], []
        self.deleted, self.created = [], []
        self.alarm = None
        self._lock = threading.Lock()
        self._server = BackgroundServer(self._app, name=self.name)

    # the webhook -----------------------------------------------------------

    def start(self):
        url = self._server.start()
        self.alarm = self.cloud.subscribe("%s-%s" % (self.name, self.project_id), EVENT_TYPE,
                                          url + "/maintenance")
        return self

    def stop(self):
        self._server.stop()
        if self.alarm:
            self.cloud.unsubscribe(self.alarm["alarm_id"])

    def _app(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        try:
            self.handle(json.loads(body))
        except Exception as exc:  # the client's framework answers 500 and logs it
            with self._lock:
                self.errors.append("%s: %s" % (type(exc).__name__, exc))
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"error"]
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"OK"]

    def handle(self, alarm_body):
        raise NotImplementedError

    # the application -------------------------------------------------------

    def servers(self):
        return self.cloud.own_servers()

    def server_ids(self):
        return [s["id"] for s in self.servers()]

    def pair(self):
        """The active/standby pair: the members of the project's anti-affinity group."""
        [group] = self.cloud.anti_affinity_groups()
        return [i for i in self.server_ids() if i in group["member_ids"]]

    def others(self):
        pair = set(self.pair())
        return [s for s in self.servers() if s["id"] not in pair]

    def scale(self, number):
        """Delete the newest non-redundant instances (number < 0) or boot more like them."""
        others = self.others()
        if number < 0:
            for server in others[number:]:
                self.cloud.delete_and_wait(server["id"], poll=0.05)
                self.deleted.append((self.clock(), server["id"]))
            return
        model = others[0] if others else self.servers()[0]
        flavor = self.cloud.flavor_id(model["flavor"])
        for _ in range(number):
            new_id = self.cloud.boot("%s-scaled-%s" % (self.project_id, uuid.uuid4().hex[:6]),
                                     flavor, model["image"], poll=0.05)
            self.created.append((self.clock(), new_id))

    def _put(self, url, body, headers, retries=1, wait_s=0.0, want=None):
        """One reply or constraint PUT, tried `retries` times while its status is not `want`."""
        attempts = 0
        while True:
            attempts += 1
            status = requests.put(url, data=json.dumps(body), headers=headers, timeout=30).status_code
            if want is None or status == want or attempts == retries:
                break
            time.sleep(wait_s)
        with self._lock:
            self.replies.append({"state": body.get("state"), "status": status,
                                 "attempts": attempts, "url": url})
        return status


class DoctorSampleAppManager(PortedManager):
    """OPNFV Doctor's sample app manager, for the `default` workflow."""

    name = "doctor-sample"

    def __init__(self, sim, project_id):
        super().__init__(sim, project_id)
        self.original_count = len(self.server_ids())
        self.active = self.pair()[0]
        self.role_log.append((self.clock(), self.active))

    @staticmethod
    def decode(alarm_body):
        """Its trait decoder: text that holds a list or a dict goes through YAML."""
        decoded = {}
        for name, _type, value in alarm_body["reason_data"]["event"]["traits"]:
            text = str(value)
            decoded[str(name)] = yaml.safe_load(text.replace("u'", "'")) \
                if "[" in text or "{" in text else text
        return decoded

    def instance_list(self, url):
        response = requests.get(url, headers=JSON, timeout=30)
        if response.status_code != 200:
            raise RuntimeError(response.text)
        return response.json()["instance_ids"]

    def switch_over(self):
        self.active = next(i for i in self.pair() if i != self.active)
        self.role_log.append((self.clock(), self.active))

    def reply_headers(self):
        return dict(JSON)

    def handle(self, alarm_body):
        payload = self.decode(alarm_body)
        with self._lock:
            self.received.append(payload)
        state = payload["state"]
        reply = self.decide(state, payload)
        if reply is None:
            return
        reply.update(session_id=payload["session_id"], state="ACK_" + state)
        self._put(payload["reply_url"], reply, self.reply_headers())

    def decide(self, state, payload):
        """The reply body for `state` (without session_id and state), or None."""
        if state == "MAINTENANCE":
            return {"instance_ids": self.instance_list(payload["instance_ids"])}
        if state == "SCALE_IN":
            self.scale(-2)
            return {"instance_ids": self.server_ids()}
        if state == "MAINTENANCE_COMPLETE":
            missing = self.original_count - len(self.server_ids())
            if missing > 0:
                self.scale(missing)
            return {}
        if state in ("PREPARE_MAINTENANCE", "PLANNED_MAINTENANCE"):
            if "MIGRATE" not in payload["allowed_actions"]:
                raise RuntimeError("MIGRATE not supported")
            actions = {}
            for instance_id in self.instance_list(payload["instance_ids"]):
                actions[instance_id] = "MIGRATE"
                if instance_id == self.active:
                    self.switch_over()
            return {"instance_actions": actions}
        if state == "INSTANCE_ACTION_DONE":
            return None
        raise RuntimeError("received event with unknown state %s" % state)


class DoctorVnfm(DoctorSampleAppManager):
    """OPNFV Doctor's VNFM, for the `vnf` workflow (ETSI FEAT03)."""

    name = "doctor-vnfm"

    def __init__(self, sim, project_id, lookup_credentials):
        super().__init__(sim, project_id)
        self.endpoint = self.find_endpoint(lookup_credentials)
        others = len(self.others())
        self.scale_step, self.max_impacted = (2, 2) if others < 7 else (others // 2, others // 2 - 1)
        self.constraints = self.update_constraints()

    @staticmethod
    def find_endpoint(credentials):
        """As it does: every service, the one of type `maintenance`, its public endpoint."""
        session = openstack.connect(load_yaml_config=False, load_envvars=False,
                                    **credentials).session
        keystone = keystone_client.Client(session=session, interface="public")
        service_id = [s.id for s in keystone.services.list() if s.type == "maintenance"][-1]
        return [e.url for e in keystone.endpoints.list()
                if e.service_id == service_id and e.interface == "public"][0]

    def reply_headers(self):
        return dict(JSON, **{"X-Auth-Token": self.cloud.token()})

    def _constraint(self, kind, item_id, body):
        url = "%s/%s/%s" % (self.endpoint, kind, item_id)
        status = self._put(url, body, self.reply_headers())
        if status not in (200, 204):
            raise RuntimeError("PUT %s answered %s" % (url, status))

    def update_constraints(self):
        pair_group = self.cloud.anti_affinity_groups()[0]["id"]
        nonha = {"group_id": str(uuid.uuid4()), "project_id": self.project_id,
                 "group_name": "doctor_nonha_app_group", "anti_affinity_group": False,
                 "max_instances_per_host": 0, "max_impacted_members": self.max_impacted,
                 "recovery_time": 2, "resource_mitigation": True}
        ha = {"group_id": pair_group, "project_id": self.project_id,
              "group_name": "doctor_ha_app_group", "anti_affinity_group": True,
              "max_instances_per_host": 1, "max_impacted_members": 1, "recovery_time": 4,
              "resource_mitigation": True}
        for group in (nonha, ha):
            self._constraint("instance_group", group["group_id"], group)
        pair = set(self.pair())
        for server in self.servers():
            self._constraint("instance", server["id"], {
                "instance_id": server["id"], "project_id": self.project_id,
                "group_id": ha["group_id"] if server["id"] in pair else nonha["group_id"],
                "instance_name": server["name"], "max_interruption_time": 120,
                "migration_type": "MIGRATION", "resource_mitigation": True, "lead_time": 40})
        return {"groups": [nonha, ha]}

    def instance_list(self, url):
        response = requests.get(url, headers=self.reply_headers(), timeout=30)
        if response.status_code != 200:
            raise RuntimeError(response.text)
        return response.json()["instance_ids"]

    def decide(self, state, payload):
        if state == "SCALE_IN":
            self.scale(-self.scale_step)
            return {"instance_ids": self.server_ids()}
        if state in ("PREPARE_MAINTENANCE", "PLANNED_MAINTENANCE"):
            if "MIGRATE" not in payload["allowed_actions"]:
                raise RuntimeError("MIGRATE not supported")
            if payload["instance_ids"][0] == self.active:
                self.switch_over()
            return {"instance_action": "MIGRATE"}
        return super().decide(state, payload)


# The keys Tacker requires in every maintenance body, and the lists it checks.
TACKER_KEYS = ("instance_ids", "session_id", "state", "reply_url")
TACKER_LISTS = {"PREPARE_MAINTENANCE": ("allowed_actions", "instance_ids"),
                "PLANNED_MAINTENANCE": ("allowed_actions", "instance_ids")}
TACKER_STATES = ("MAINTENANCE", "SCALE_IN", "PREPARE_MAINTENANCE", "PLANNED_MAINTENANCE",
                 "MAINTENANCE_COMPLETE", "INSTANCE_ACTION_DONE")


class TackerVnfm(PortedManager):
    """Tacker's Fenix plug-in behind its alarm receiver, for the `vnf` workflow.

    `config` is the VNF's `maintenance` config (Tacker reads it from the
    VNFD): `migration_type`, `max_impacted_members`, `recovery_time`, ...
    The VNF is every server of the project; its scaling policy adds or
    removes one instance.
    """

    name = "tacker"
    RETRIES, RETRY_WAIT_S = 5, 5

    def __init__(self, sim, project_id, config):
        super().__init__(sim, project_id)
        self.config = dict(config)
        self.status = "ACTIVE"
        self.scaled = 0
        self.endpoint = None
        self.invalid = []
        self.threads = []
        # For tests: the VNF leaves ACTIVE once this many instances were asked about.
        self.refuse_after = None

    @staticmethod
    def decode(alarm_body):
        """Its alarm receiver: text that starts like a list or a dict is a Python literal."""
        body = {}
        for key, t_type, value in alarm_body["reason_data"]["event"]["traits"]:
            if t_type == 1 and value and value[0] in "[{":
                body[key] = ast.literal_eval(value)
            else:
                body[key] = value
        return body

    def maintenance_endpoint(self):
        if self.endpoint is None:
            self.endpoint = self.cloud.session.get_endpoint(service_type="maintenance",
                                                            region_name=self.cloud.region_name)
            if not self.endpoint:
                raise RuntimeError("service type maintenance not found")
        return self.endpoint

    def register_constraints(self, group_id):
        """At VNF creation: its instance group, then each instance, each PUT retried until 200."""
        base = self.maintenance_endpoint().rstrip("/")
        headers = dict(JSON, **{"X-Auth-Token": self.cloud.token()})
        self._put("%s/instance_group/%s" % (base, group_id), {
            "group_id": group_id, "project_id": self.project_id,
            "group_name": "tacker_nonha_app_group_%s" % self.project_id,
            "anti_affinity_group": False, "max_instances_per_host": 0,
            "resource_mitigation": True,
            "max_impacted_members": self.config.get("max_impacted_members", 1),
            "recovery_time": self.config.get("recovery_time", 60)},
            headers, self.RETRIES, self.RETRY_WAIT_S, want=200)
        for server in self.servers():
            self._put("%s/instance/%s" % (base, server["id"]), {
                "project_id": self.project_id, "instance_id": server["id"],
                "instance_name": server["name"],
                "migration_type": self.config.get("migration_type", "MIGRATE"),
                "resource_mitigation": self.config.get("mitigation_type", True),
                "max_interruption_time": self.config.get("max_interruption_time", 120),
                "lead_time": self.config.get("lead_time", 120), "group_id": group_id},
                headers, self.RETRIES, self.RETRY_WAIT_S, want=200)

    def validate(self, body):
        if not set(TACKER_KEYS).issubset(body) or body["state"] not in TACKER_STATES:
            raise ValueError("InvalidMaintenanceParameter")
        for key in TACKER_LISTS.get(body["state"], ()):
            if not isinstance(body.get(key), list):
                raise ValueError("InvalidMaintenanceParameter: %s is not a list" % key)

    def handle(self, alarm_body):
        body = self.decode(alarm_body)
        with self._lock:
            self.received.append(body)
        try:
            self.validate(body)
        except ValueError:
            self.invalid.append(body)
            raise
        data = self.act(body["state"], body)
        self.reply(body, data)

    def act(self, state, body):
        """Its per-state work; returns the data of the reply."""
        if state == "MAINTENANCE":
            return {"instance_ids": self.server_ids()}
        if state == "SCALE_IN":
            self.scale(-1)
            self.scaled += 1
            return {"instance_ids": self.server_ids()}
        if state in ("PREPARE_MAINTENANCE", "PLANNED_MAINTENANCE"):
            asked = sum(1 for b in self.received if b["state"] == state)
            if self.refuse_after is not None and asked > self.refuse_after:
                self.status = "ERROR"
            if body["instance_ids"][0] not in self.server_ids():
                raise ValueError("InvalidMaintenanceParameter: not an instance of the VNF")
            return {"instance_action": self.config.get("migration_type", "MIGRATE")}
        if state == "MAINTENANCE_COMPLETE":
            while self.scaled > 0:
                self.scale(1)
                self.scaled -= 1
            return {"instance_ids": self.server_ids()}
        return {}

    def reply(self, body, data):
        """ACK while the VNF is ACTIVE, PUT from its own thread, retried until 200."""
        verdict = "ACK" if self.status == "ACTIVE" else "NACK"
        data = dict(data, session_id=body.get("session_id", ""),
                    state="%s_%s" % (verdict, body["state"]))
        headers = dict(JSON, **{"X-Auth-Token": self.cloud.token()})
        thread = threading.Thread(target=self._put, daemon=True, args=(
            body["reply_url"], data, headers, self.RETRIES, self.RETRY_WAIT_S, 200))
        thread.start()
        self.threads.append(thread)


def service_gaps(initial, events, members, end_t, at_most_impacted):
    """When the VNF served from fewer members than its limit allows, judged from the log.

    `members`: `{server_id: (from_t, to_t)}`, the times each instance is part
    of the VNF (scaled in or out by it). Returns `[(start, end, unavailable
    ids)]` where more than `at_most_impacted` members, or every member, could
    not serve.
    """
    down = {}
    for server_id, (start, stop) in members.items():
        intervals = audit.unavailable_intervals(initial, events, [(start, server_id)], stop)
        down[server_id] = [(i["start"], i["end"]) for i in intervals]
    moments = sorted({t for spans in down.values() for span in spans for t in span}
                     | {t for span in members.values() for t in span})
    gaps = []
    for start, end in zip(moments, moments[1:], strict=False):
        middle = (start + end) / 2
        present = [s for s, (a, b) in members.items() if a <= middle < b]
        out = sorted(s for s in present if any(a <= middle < b for a, b in down[s]))
        if present and (len(out) > at_most_impacted or len(out) == len(present)):
            gaps.append((start, end, out))
    return gaps
