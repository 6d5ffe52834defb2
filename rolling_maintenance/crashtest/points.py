"""The moments a crash test disrupts a session at, each recognised from the
simulator's event log, Mistral's tasks or what a sample VNFM received.

A point is reached once; the runner then kills Mistral (or, for an outage,
takes a service away) and calls `after_restart`.
"""

import random
import time

from rolling_maintenance import audit, status
from rolling_maintenance.demo.session import HOST_PLUGINS
from rolling_maintenance.workflow import contract

# The second host plug-in: killed while it runs, a redo would show the first again.
SECOND_PLUGIN = HOST_PLUGINS[1]["metadata"]["label"]

KILL = "kill"
CLOUD_OUTAGE = "cloud_outage"
REPLY_API_OUTAGE = "reply_api_outage"


class Watch:
    """What a point may look at while the session runs."""

    def __init__(self, run, session_id, initial, since):
        self.run = run
        self.session_id = session_id
        self.initial = initial
        self.since = since
        self.created_at = time.monotonic()

    def events(self):
        return self.run.env.sim.events(self.since)

    def replay(self):
        return audit.replay_log(self.initial, self.events())

    def hosts_maintained(self, replay=None):
        replay = replay or self.replay()
        return sum(1 for host in replay.host_intervals if replay.maintained(host))

    def states_received(self, vnfm):
        """The states `vnfm` was told of in this session, in order."""
        return [note["state"] for note in vnfm.received if note["session_id"] == self.session_id]

    def newest_task(self):
        tasks = self.run.client.tasks.list(workflow_execution_id=self.session_id)
        return max(tasks, key=lambda t: (t.created_at or "", t.id), default=None)


class Point:
    """A named moment; `disruption` says what happens there (KILL or an outage)."""

    name = None
    description = None
    scenario = "two_sizes"
    disruption = KILL

    def before_create(self, run):
        """Prepare the VNFMs before the session starts."""

    def reached(self, watch):
        raise NotImplementedError

    def after_restart(self, run):
        """Undo what `reached` held back, once Mistral serves again; returns
        a note for the report, or None."""

    def redrawn(self, session_s):
        """A point to run instead when the session, undisturbed, ended after
        `session_s` seconds before this one was reached; None for none."""
        return None


class AfterCreate(Point):
    name = "after_execution_create"
    description = "right after execution-create returned"

    def reached(self, watch):
        return True


class ReplyWait(Point):
    name = "reply_wait"
    description = "while the session waits for a project's reply (after a host was maintained)"

    def __init__(self):
        self.vnfm = None
        self.received_before = 0

    def reached(self, watch):
        if self.vnfm is None:
            if watch.hosts_maintained() < 1:
                return False
            self.vnfm = watch.run.vnfms[sorted(watch.run.vnfms)[0]]
            self.vnfm.set_behaviour("silent")
            self.received_before = len(_questions(watch, self.vnfm))
        project = self.vnfm.project_id
        asked = [p for p in status.pending_replies(watch.run.client, watch.session_id)
                 if p["project_id"] == project]
        # The question is recorded just before it is sent: held once received.
        # Every VNFM holds what it was sent: no reply is under way when Mistral dies.
        return (bool(asked) and len(_questions(watch, self.vnfm)) > self.received_before
                and all(vnfm.wait_idle(30) for vnfm in watch.run.vnfms.values()))

    def after_restart(self, run):
        self.vnfm.set_behaviour("ack")
        reply = self.vnfm.reply_pending()
        if reply is None:
            return "%s had nothing to reply to" % self.vnfm.project_id
        return "%s replied %s: HTTP %s %s" % (self.vnfm.project_id, reply["state"], reply["status"],
                                             reply["body"] if reply["status"] != 200 else "")


def _questions(watch, vnfm):
    return [state for state in watch.states_received(vnfm) if state != contract.INSTANCE_ACTION_DONE]


class LiveMigration(Point):
    name = "live_migration"
    description = "during a live migration (after a host was maintained)"

    def reached(self, watch):
        replay = watch.replay()
        under_way = any(m["outcome"] is None and m["kind"] == "live" for m in replay.moves)
        return under_way and watch.hosts_maintained(replay) >= 1


class HostPlugin(Point):
    name = "host_plugin"
    description = "during a host's second plug-in (%s), its first done" % SECOND_PLUGIN

    def reached(self, watch):
        return SECOND_PLUGIN in watch.replay().cloud.working.values()


class AfterDecide(Point):
    name = "after_decide"
    description = "between `decide` and the next state (after a host was maintained)"

    def reached(self, watch):
        task = watch.newest_task()
        return (task is not None and task.name == contract.DECIDE_TASK
                and watch.hosts_maintained() >= 1)


class ScaleIn(Point):
    name = "scale_in"
    description = "during a scale-in (a VNFM received SCALE_IN)"
    scenario = "doctor"

    def reached(self, watch):
        return any(contract.SCALE_IN in watch.states_received(vnfm) for vnfm in watch.run.vnfms.values())


class RandomTime(Point):
    """A kill `delay_s` seconds after the session was created. `rng` draws
    the moment again when the session ended before it (`redrawn`)."""

    description = "at a random moment"

    def __init__(self, index, delay_s, rng):
        self.index = index
        self.name = "random_%d@%.1fs" % (index, delay_s)
        self.delay_s = delay_s
        self.rng = rng

    def reached(self, watch):
        return time.monotonic() - watch.created_at >= self.delay_s

    def redrawn(self, session_s):
        """The same point drawn again inside a session known to last
        `session_s` seconds undisturbed; None if it lasted too little."""
        if session_s <= 1.0:
            return None
        return RandomTime(self.index, 1.0 + self.rng.random() * (session_s - 1.0), self.rng)


class _OutageAfterFirstHost(Point):
    """An outage starts once a host was maintained: the session has work
    behind it and work ahead of it."""

    def reached(self, watch):
        return watch.hosts_maintained() >= 1


class CloudOutage(_OutageAfterFirstHost):
    name = "cloud_outage"
    description = "the cloud API (Nova, Aodh) answers 503 for a while, after a host was maintained"
    disruption = CLOUD_OUTAGE


class ReplyApiOutage(_OutageAfterFirstHost):
    name = "reply_api_outage"
    description = "the reply API process killed, started again later, after a host was maintained"
    disruption = REPLY_API_OUTAGE


NAMED = (ReplyWait, LiveMigration, HostPlugin, AfterCreate, AfterDecide, ScaleIn)
OUTAGES = (CloudOutage, ReplyApiOutage)
BY_NAME = {cls.name: cls for cls in NAMED + OUTAGES}


def random_points(count, window_s, seed):
    """`count` kills at times drawn uniformly in (1, window_s) seconds after
    the session starts; each point draws again from its own seeded generator."""
    rng = random.Random(seed)
    return [RandomTime(i + 1, rng.uniform(1.0, window_s), random.Random("%d:%d" % (seed, i + 1)))
            for i in range(count)]
