"""`maintenance_at` as Fenix means it, on the real Mistral and the simulated cloud:
the projects are told it as `actions_at`, the work starts at that time however
long the replies took, and a session continued after it does not wait again.
The times are the simulator's clock: its event log and the VNFM's record of
when each question arrived."""

import datetime
import time

from rolling_maintenance import session_control
from rolling_maintenance.audit import events as audit_events
from rolling_maintenance.demo import scenarios, session

SPEED = 50


class WallClock:
    """Wall-clock time of a simulator event: the simulator's clock runs SPEED times faster."""

    def __init__(self, run):
        self.run = run
        self.sim_t0 = run.env.sim.clock.now()
        self.wall_t0 = time.time()

    def of(self, sim_t):
        return self.wall_t0 + (sim_t - self.sim_t0) / SPEED

    def work_started(self, after_t=None):
        """When the work after MAINTENANCE began: the first later question to the
        project, or the first host taken out of service, whichever came first."""
        questions = [n["received_at"] for n in self.run.vnfms["doctor"].received
                     if n["state"] != "MAINTENANCE" and (after_t is None or n["received_at"] > after_t)]
        disabled = [e["t"] for e in self.run.env.sim.events()
                    if e["type"] == audit_events.SERVICE_DISABLED]
        assert questions or disabled, "nothing happened after MAINTENANCE"
        return self.of(min(questions + disabled))


def at(seconds_ahead):
    """`(epoch, Fenix's text)` of a whole second `seconds_ahead` from now."""
    moment = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) \
        + datetime.timedelta(seconds=seconds_ahead)
    return moment.timestamp(), moment.strftime("%Y-%m-%d %H:%M:%S")


def session_input(maintenance_at, reply_s):
    return {"maintenance_at": maintenance_at, "project_maintenance_reply": reply_s,
            "project_scale_in_reply": 30}


def wait_for_question(vnfm, state, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(note["state"] == state for note in vnfm.received):
            return
        time.sleep(0.1)
    raise AssertionError("no %s question within %s s" % (state, timeout))


def test_hosts_are_touched_at_maintenance_at_not_after_a_delay_from_the_replies(tmp_path):
    with session.SessionRun(scenarios.doctor(), speed=SPEED, workdir=str(tmp_path),
                            vnfm_options={"doctor": {"behaviour": "silent"}}) as run:
        clock = WallClock(run)
        start, text = at(14)
        session_id = run.create(session_input(text, reply_s=60))
        vnfm = run.vnfms["doctor"]
        wait_for_question(vnfm, "MAINTENANCE")
        time.sleep(max(0.0, start - 7 - time.time()))  # the VNFM takes 7 s to answer
        vnfm.set_behaviour("ack")
        assert vnfm.reply_pending() is not None
        run.wait(session_id)
        verdict = run.verdict(session_id)
        assert verdict["state"] == "MAINTENANCE_DONE", verdict["reason"]
        assert verdict["downtime_s"] == 0 and verdict["judged"]["problems"] == []
        [maintenance] = [n for n in vnfm.received if n["state"] == "MAINTENANCE"]
        assert maintenance["actions_at"] == text.replace(" ", "T") + "Z"
        began = clock.work_started()
        assert start - 0.5 <= began < start + 4.5, \
            "the work began %.1f s after maintenance_at" % (began - start)


def test_continue_after_maintenance_at_does_not_wait_again(tmp_path):
    with session.SessionRun(scenarios.doctor(), speed=SPEED, workdir=str(tmp_path),
                            vnfm_options={"doctor": {"behaviour": "silent"}}) as run:
        clock = WallClock(run)
        start, text = at(10)
        session_id = run.create(session_input(text, reply_s=3))
        run.wait(session_id)
        assert run.client.executions.get(session_id).state == "ERROR"
        assert [e for e in run.env.sim.events() if e["type"] == audit_events.SERVICE_DISABLED] == []
        time.sleep(max(0.0, start + 1 - time.time()))

        run.vnfms["doctor"].set_behaviour("ack")
        continued = time.time()
        assert session_control.continue_session(run.client, session_id) == "ask_maintenance"
        run.wait(session_id)
        verdict = run.verdict(session_id)
        assert verdict["state"] == "MAINTENANCE_DONE", verdict["reason"]
        asked = [n for n in run.vnfms["doctor"].received if n["state"] == "MAINTENANCE"]
        assert len(asked) == 2
        assert asked[1]["actions_at"] >= text.replace(" ", "T") + "Z", "a passed start is now"
        began = clock.work_started(after_t=asked[1]["received_at"])
        assert began - continued < 6, "waited %.1f s again after continue" % (began - continued)
