"""The sample VNFM: answers maintenance notifications for one project's application.

It behaves like the OPNFV Doctor sample app manager and Tacker: it subscribes
with an Aodh event alarm, reads its instance list from the URL it is sent,
scales in when asked, switches its ACT-STDBY pair over before the active
instance's host is emptied, asks for its instances to be migrated, and scales
back out at the end. Failure tests make it refuse (`nack`) or keep quiet
(`silent`).
"""

import logging
import threading
import time

from rolling_maintenance import wsgi_server
from rolling_maintenance.vnfm import replies
from rolling_maintenance.vnfm import constraints as vnf_constraints
from rolling_maintenance.vnfm.application import Application
from rolling_maintenance.vnfm.dispatcher import SessionDispatcher
from rolling_maintenance.vnfm.reply_client import ReplyApiError, ReplyClient
from rolling_maintenance.vnfm.tenant_cloud import TenantCloud, TenantCloudError
from rolling_maintenance.vnfm.webhook import make_app
from rolling_maintenance.workflow import session_input

LOG = logging.getLogger(__name__)

# A session's default (maintenance.scheduled): what Fenix sends and
# Doctor's Heat template and Tacker subscribe to.
DEFAULT_EVENT_TYPE = session_input.DEFAULTS["event_type"]
BEHAVIOURS = ("ack", "nack", "silent")


class CannotAct(Exception):
    """The VNFM cannot do what the notification asks; it answers NACK."""


class SampleVnfm:
    """One project's application manager.

    `cloud` is a `TenantCloud`: the public APIs as the project's member user.
    `clock` gives the time of role changes and receipts: wall time by
    default, which is the clock of a real cloud's own records. The role log
    is only worth holding against a log kept on the same clock, and the
    public APIs do not tell a cloud's clock finer than the second (HTTP
    `Date`), so a harness that compares the role log with a simulator's
    event log passes that simulator's clock in (`clock=sim.clock.now`), as
    the demo and the tests do; the VNFM itself knows nothing of simulators.
    `reply_client` does the reply API's HTTP (its retry delay is what tests
    shorten; without a token source of its own it sends this project's token). `flavor` and `image` are what new non-redundant instances boot
    from; adopting fills them from the existing ones (Nova boots nothing
    without an image: a 400 "Missing imageRef attribute"). `network` is the
    network they are plugged in (an id); None lets Nova pick the one network
    the project sees.
    `constraints_url` is the constraints API (the reply API's base URL) where
    `start()` registers the pair's group and instance constraints, with
    `recovery_time` seconds for the pair; None registers nothing.
    """

    def __init__(self, cloud, event_type=DEFAULT_EVENT_TYPE, behaviour="ack", nack_state=None,
                 migration_type="LIVE_MIGRATE", own_action=False, host="127.0.0.1", port=0,
                 clock=None, reply_client=None, name_prefix=None, alarm_name=None,
                 flavor=None, image=None, network=None, poll=0.2, timeout=300.0, constraints_url=None,
                 recovery_time=vnf_constraints.DEFAULT_RECOVERY_TIME):
        self._check_behaviour(behaviour)
        vnf_constraints.check_recovery_time(recovery_time)
        replies.migration_choice(migration_type, [])
        if nack_state is not None and nack_state not in replies.REPLIED_STATES:
            raise ValueError("nack_state must be one of %s, got %r"
                             % (", ".join(replies.REPLIED_STATES), nack_state))
        self.cloud = cloud
        self.project_id = cloud.project_id
        self.event_type = event_type
        self.behaviour = behaviour
        self.nack_state = nack_state
        self.migration_type = migration_type
        self.own_action = own_action
        self.clock = clock or time.time
        self.reply_client = reply_client or ReplyClient()
        if self.reply_client.token is None:
            self.reply_client.token = self._token
        self.name_prefix = name_prefix or "vnf-%s" % self.project_id[:8]
        self.alarm_name = alarm_name or "%s-maintenance" % self.name_prefix
        self.flavor = flavor
        self.image = image
        self.network = network
        self.poll = poll
        self.timeout = timeout
        self.constraints_url = constraints_url
        self.recovery_time = recovery_time
        self.pair_group = None
        self.registered = []
        self._names_by_id = {}
        self.app = Application([], [], self.clock)
        self.alarm = None
        self.received = []
        self.replies = []
        self.actions_done = []
        self.own_actions = []
        self.errors = []
        self._pending = None
        self._names = 0
        self._lock = threading.Lock()
        self._dispatcher = SessionDispatcher()
        self._server = wsgi_server.BackgroundServer(make_app(self._accept), host=host, port=port,
                                                  name="vnfm-webhook")

    @classmethod
    def from_credentials(cls, credentials, **kwargs):
        """A VNFM logged in with `openstack.connect`-style credentials (e.g. the
        simulator's `project_credentials(project_id)`)."""
        return cls(TenantCloud.from_credentials(**credentials), **kwargs)

    @classmethod
    def from_cloud(cls, cloud, clouds_yaml=None, **kwargs):
        """A VNFM logged in as `cloud` of clouds.yaml (`clouds_yaml`, or the usual files)."""
        return cls(TenantCloud.from_clouds_yaml(cloud, clouds_yaml), **kwargs)

    # life cycle -----------------------------------------------------------

    @property
    def url(self):
        return self._server.url + "/"

    def start(self, adopt=True):
        """Serve the webhook, subscribe to the event type, and take over the project's instances."""
        self._server.start()
        try:
            self.alarm = self.cloud.subscribe(self.alarm_name, self.event_type, self.url)
            if adopt:
                self.adopt()
                if self.constraints_url:
                    self.register_constraints()
        except Exception:
            self._server.stop()
            raise
        LOG.info("VNFM of project %s listening on %s (alarm %s)",
                 self.project_id, self.url, self.alarm.get("alarm_id"))
        return self

    def stop(self, remove_alarm=False):
        self._server.stop()
        self._dispatcher.stop()
        if remove_alarm and self.alarm:
            self.cloud.unsubscribe(self.alarm["alarm_id"])
            self.alarm = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def adopt(self):
        """Take the project's servers as the application: the anti-affinity group is the pair."""
        servers = self.cloud.own_servers()
        order = [server["id"] for server in servers]
        redundant = set()
        pair = []
        self.pair_group = None
        for group in self.cloud.anti_affinity_groups():
            members = group["member_ids"]
            alive = [server_id for server_id in order if server_id in members]
            redundant.update(members)
            if len(alive) > len(pair):
                pair = alive[:2]
                self.pair_group = {"id": group["id"], "name": group["name"]}
        extras = [server_id for server_id in order if server_id not in redundant]
        self._names_by_id = {server["id"]: server["name"] for server in servers}
        self._remember_boot_source(servers, extras or pair)
        self.app = Application(pair, extras, self.clock)
        return self.app

    def register_constraints(self):
        """Tell the constraints API what the application tolerates: the pair, then each instance.

        Raises `ReplyApiError` when the API refuses one; returns the URLs written.
        """
        if not self.constraints_url:
            raise ValueError("register_constraints needs constraints_url")
        group = None
        if self.pair_group is not None:
            group = vnf_constraints.pair_group(self.project_id, self.pair_group, self.recovery_time)
        pair = set(self.app.pair) if group is not None else set()
        instances = [vnf_constraints.instance(
            self.project_id, server_id, self._names_by_id.get(server_id),
            group["group_id"] if server_id in pair else None)
            for server_id in list(self.app.pair) + list(self.app.extras)]
        self.registered = vnf_constraints.register(
            self.reply_client, self.constraints_url, group, instances)
        return self.registered

    def _remember_boot_source(self, servers, ids):
        by_id = {server["id"]: server for server in servers}
        for server_id in ids:
            server = by_id[server_id]
            if self.flavor is None and server["flavor"]:
                self.flavor = self.cloud.flavor_id(server["flavor"])
            if self.image is None and server["image"]:
                self.image = server["image"]

    def deploy(self, pair_flavor, n_extra, image=None, extra_flavor=None, network=None):
        """Create the application: an anti-affinity pair and `n_extra` non-redundant instances.

        Flavors by id or name; waits until every instance is ACTIVE.
        """
        if isinstance(n_extra, bool) or not isinstance(n_extra, int) or n_extra < 0:
            raise ValueError("n_extra must be a whole number >= 0, got %r" % (n_extra,))
        pair_flavor = self.cloud.flavor_id(pair_flavor)
        self.flavor = self.cloud.flavor_id(extra_flavor) if extra_flavor else pair_flavor
        self.image = image or self.image
        self.network = network or self.network
        group_name = "%s-pair" % self.name_prefix
        group_id = self.cloud.create_anti_affinity_group(group_name)
        self.pair_group = {"id": group_id, "name": group_name}
        names = ["%s-pair-%d" % (self.name_prefix, index) for index in range(2)]
        names += [self._next_extra_name() for _ in range(n_extra)]
        ids = [self._boot(name, pair_flavor if index < 2 else self.flavor,
                          group_id if index < 2 else None) for index, name in enumerate(names)]
        self._names_by_id = dict(zip(ids, names, strict=True))
        self.app = Application(ids[:2], ids[2:], self.clock)
        return self.app

    def _boot(self, name, flavor, group_id=None):
        return self.cloud.boot(name, flavor, self.image, group_id=group_id,
                              timeout=self.timeout, poll=self.poll, network=self.network)

    def _next_extra_name(self):
        with self._lock:
            self._names += 1
            return "%s-extra-%d" % (self.name_prefix, self._names)

    # what tests look at ---------------------------------------------------

    @property
    def role_log(self):
        return list(self.app.role_log)

    @property
    def active(self):
        return self.app.active

    @property
    def switches(self):
        """`[{"t", "from", "to", "reason"}]`: every switch-over of the active role."""
        return list(self.app.switches)

    def states(self):
        return [note["state"] for note in self.received]

    def set_behaviour(self, behaviour, nack_state=None):
        self._check_behaviour(behaviour)
        self.behaviour = behaviour
        self.nack_state = nack_state

    def wait_idle(self, timeout=30.0):
        """True once every notification received so far has been handled."""
        return self._dispatcher.wait_idle(timeout)

    def reply_pending(self, timeout=60.0):
        """Handle again the last notification ignored while silent, and reply to it.

        Returns the reply record, or None when nothing is pending.
        """
        if self.behaviour == "silent":
            raise RuntimeError("still silent: call set_behaviour('ack') before reply_pending()")
        with self._lock:
            note, self._pending = self._pending, None
        if note is None:
            return None
        done = threading.Event()
        outcome = {}

        def job():
            try:
                outcome["reply"] = self._answer(note)
            finally:
                done.set()

        self._dispatcher.submit(note["session_id"], job)
        if not done.wait(timeout):
            raise TimeoutError("the reply to %s was not sent within %s s" % (note["state"], timeout))
        return outcome.get("reply")

    @staticmethod
    def _check_behaviour(behaviour):
        if behaviour not in BEHAVIOURS:
            raise ValueError("behaviour must be one of %s, got %r" % (", ".join(BEHAVIOURS), behaviour))

    # notifications --------------------------------------------------------

    def _token(self):
        return self.cloud.token()

    def _accept(self, payload):
        """Called by the webhook for each decoded notification: queue it in its session."""
        if payload["project_id"] and payload["project_id"] != self.project_id:
            LOG.warning("ignored a %s notification for project %s (this VNFM serves %s)",
                        payload["state"], payload["project_id"], self.project_id)
            return
        payload = dict(payload, received_at=self.clock())
        self._dispatcher.submit(payload["session_id"], lambda: self._handle(payload))

    def _handle(self, payload):
        note = self._record(payload)
        if note["state"] == "INSTANCE_ACTION_DONE":
            for instance_id in note["instance_ids"]:
                self.actions_done.append({"instance_id": instance_id, "t": note["received_at"],
                                          "session_id": note["session_id"]})
            self.app.moved(note["instance_ids"], reason=note["state"])
            return
        if self.behaviour == "silent":
            with self._lock:
                self._pending = note
            LOG.info("silent: not answering %s of session %s", note["state"], note["session_id"])
            return
        with self._lock:
            if self._pending and self._pending["session_id"] == note["session_id"]:
                self._pending = None
        self._answer(note)

    def _record(self, payload):
        ids = payload["instance_ids"]
        note = {
            "state": payload["state"],
            "session_id": payload["session_id"],
            "instance_ids": None,
            "allowed_actions": payload["allowed_actions"],
            "metadata": payload["metadata"],
            "actions_at": payload.get("actions_at"),
            "received_at": payload["received_at"],
            "reply_url": payload["reply_url"],
        }
        if isinstance(ids, list):
            note["instance_ids"] = ids
        elif payload["state"] == "INSTANCE_ACTION_DONE":
            note["instance_ids"] = [ids] if ids else []
        elif ids:
            try:
                note["instance_ids"] = self.reply_client.instance_ids(ids)
            except ReplyApiError as exc:
                self._error(note, "cannot read the instance list: %s" % exc)
        self.received.append(note)
        return note

    def _error(self, note, message):
        LOG.error("%s of session %s: %s", note["state"], note["session_id"], message)
        self.errors.append({"state": note["state"], "session_id": note["session_id"],
                            "message": message, "t": self.clock()})

    def _answer(self, note):
        """Do what the state asks (unless refusing) and PUT the reply."""
        state = note["state"]
        refuse = self.behaviour == "nack" and self.nack_state in (None, state)
        if note["instance_ids"] is None:
            refuse = True
        body = None
        if not refuse:
            try:
                body = self._work(note)
            except (TenantCloudError, CannotAct) as exc:
                self._error(note, "could not act: %s" % exc)
        if body is None:
            body = replies.reply_body(state, note["session_id"], ack=False)
        return self._send(note, body)

    def _work(self, note):
        state = note["state"]
        ids = note["instance_ids"]
        if state == "SCALE_IN":
            removed = self._scale_in()
            ids = [instance_id for instance_id in ids if instance_id != removed]
        elif state in replies.STATES_WITH_ACTIONS:
            self.app.switch_away_from(ids, reason=state)
            actions = self._instance_actions(note)
            return replies.reply_body(state, note["session_id"], instance_actions=actions)
        elif state == "MAINTENANCE_COMPLETE":
            self._scale_out()
        return replies.reply_body(state, note["session_id"], instance_ids=ids)

    def _scale_in(self):
        victim = self.app.newest_extra()
        if victim is None:
            LOG.info("scale in: no non-redundant instance left, nothing to remove")
            return None
        self.cloud.delete_and_wait(victim, timeout=self.timeout, poll=self.poll)
        self.app.extra_removed(victim)
        return victim

    def _scale_out(self):
        for _ in range(self.app.missing_extras()):
            self.app.extra_added(self._boot(self._next_extra_name(), self.flavor))

    def _instance_actions(self, note):
        allowed = note["allowed_actions"]
        migration = replies.migration_choice(self.migration_type, allowed)
        use_own = self.own_action and replies.own_action_allowed(allowed)
        actions = {}
        for instance_id in note["instance_ids"]:
            if use_own and instance_id in self.app.extras:
                self._replace(note, instance_id)
                actions[instance_id] = "OWN_ACTION"
            elif migration is not None:
                actions[instance_id] = migration
            else:
                raise CannotAct("none of %s is allowed (allowed: %s)"
                                % (", ".join(replies.MIGRATION_ACTIONS), ", ".join(allowed)))
        return actions

    def _replace(self, note, instance_id):
        """OWN_ACTION: delete the instance and boot a new one wherever the scheduler puts it."""
        self.cloud.delete_and_wait(instance_id, timeout=self.timeout, poll=self.poll)
        self.app.extra_removed(instance_id)
        new_id = self._boot(self._next_extra_name(), self.flavor)
        self.app.extra_added(new_id)
        self.own_actions.append({"old": instance_id, "new": new_id, "state": note["state"],
                                 "session_id": note["session_id"], "t": self.clock()})

    def _send(self, note, body):
        url = note["reply_url"]
        if not url:
            self._error(note, "the notification has no reply_url: cannot send %s" % body["state"])
            return None
        outcome = self.reply_client.put_reply(url, body)
        record = dict(outcome, state=body["state"], session_id=note["session_id"], url=url,
                      request=body, t=self.clock())
        self.replies.append(record)
        return record
