"""One crash-test run: a session, one disruption at its point, the operator's
recovery (Mistral restarted on the same database; `rolling-maintenance
continue` only when the session ended failed), and the verdict from the
simulator's event log."""

import dataclasses
import json
import subprocess
import sys
import tempfile
import time

from rolling_maintenance import audit
from rolling_maintenance.crashtest import points as kill_points
from rolling_maintenance.crashtest.environment import CrashEnvironment
from rolling_maintenance.demo import scenarios
from rolling_maintenance.demo.session import HOST_PLUGINS, SessionRun
from rolling_maintenance.embedded.stack import MistralStartError
from rolling_maintenance.mistral import executions

PLUGIN_LABELS = [p["metadata"]["label"] for p in HOST_PLUGINS]
# Outcomes besides the session's own final state.
NOT_REACHED = "POINT_NOT_REACHED"
STUCK = "STUCK"
NOT_RESTARTED = "MISTRAL_NOT_RESTARTED"
CONTINUE_REFUSED = "CONTINUE_REFUSED"
# How often a point the session ended before is drawn again inside it.
MAX_REDRAWS = 3


@dataclasses.dataclass
class Options:
    """`speed`: simulated seconds per second; `stall_s`: a running session
    with no new cloud event and no new task this long is stuck; `timeout_s`:
    the most a run may take after its disruption."""

    hosts: int = 5
    seed: int = 1
    speed: float = 40.0
    outage_s: float = 30.0
    reply_window_s: int = 60
    stall_s: float = 150.0
    timeout_s: float = 420.0
    max_continues: int = 3
    workdir: str = None


def inventory(point, options):
    if point.scenario == "doctor":
        return scenarios.doctor()
    return scenarios.two_sizes(hosts=options.hosts, seed=options.seed, extras_per_project=2)


def session_input(options):
    return {"actions": HOST_PLUGINS, "project_maintenance_reply": options.reply_window_s,
            "project_scale_in_reply": options.reply_window_s, "metadata": {"openstack_version": "2026.2"}}


class Bench:
    """The environments runs share, one per scenario (and reply API setup):
    a session leaves the cloud as it found it, so the next run starts from
    there, saving a start of Mistral, the simulator and the VNFMs. A run that
    left anything behind (a disabled host, a move, a running session) gets a
    fresh environment after it."""

    def __init__(self, options):
        self.options = options
        self.runs = {}

    def session_run(self, point):
        key = (point.scenario, point.disruption == kill_points.REPLY_API_OUTAGE)
        run = self.runs.get(key)
        if run is not None and not _clean(run):
            run.stop()
            run = None
        if run is None:
            cloud = inventory(point, self.options)
            workdir = tempfile.mkdtemp(prefix="rm-crash-", dir=self.options.workdir)
            env = CrashEnvironment(cloud, self.options.speed, workdir, separate_reply_api=key[1])
            run = self.runs[key] = SessionRun(cloud, env=env).start()
        return run

    def close(self):
        for run in self.runs.values():
            run.stop()
        self.runs = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _clean(run):
    """Every host enabled and idle, no move, no session running, Mistral alive."""
    if run.env.mistral.process.poll() is not None:
        return False
    state = run.env.sim.state()
    if state["migrations"] or any(h["status"] != "enabled" or (h.get("work") or {}).get("state") == "running"
                                  for h in state["hosts"]):
        return False
    return not any(e.state == "RUNNING" for e in executions.sessions(run.client))


def run_point(point, bench, report=lambda line: None):
    """Run one session disrupted at `point`; return its row of the crash table.
    When the session ended undisturbed before the point, and the point can
    be drawn again inside the session's measured length (a random moment),
    run again there; the row keeps the undisturbed run as `undisturbed`."""
    row = _run_once(point, bench, report)
    for _ in range(MAX_REDRAWS):
        again = row["outcome"] == NOT_REACHED and row.get("session_s") and point.redrawn(row["session_s"])
        if not again:
            break
        report("%s: the session ended undisturbed after %.1f s; drawn again: %s"
               % (point.name, row["session_s"], again.name))
        undisturbed = dict(row, outcome=row["final_state"])
        point = again
        row = dict(_run_once(point, bench, report), undisturbed=undisturbed)
    return row


def _run_once(point, bench, report):
    options = bench.options
    started = time.monotonic()
    run = bench.session_run(point)
    hosts = [h["name"] for h in run.inventory["hosts"]]
    initial = run.env.sim.state()
    since = _last_seq(run)
    point.before_create(run)
    session_id = run.create(session_input(options))
    report("%s: session %s" % (point.name, session_id))
    watch = kill_points.Watch(run, session_id, initial, since)
    row = {"point": point.name, "session_id": session_id, "workdir": run.env.workdir}
    row.update(_disrupt_and_recover(run, watch, point, options, report))
    judged = audit.crash_verdict(initial, watch.events(), hosts, plugin_labels=PLUGIN_LABELS)
    row.update({count: judged[count] for count in audit.crash.COUNTS})
    row["problems"] = judged["problems"]
    row["host_work"] = judged["host_work"]
    row["vnfm_trouble"] = _vnfm_trouble(run, session_id)
    row["wall_s"] = round(time.monotonic() - started, 1)
    report("%s: %s" % (point.name, json.dumps({k: row.get(k) for k in (
        "outcome", "continues", *audit.crash.COUNTS, "recovery_s", "wall_s", "reason", "failures")})))
    return row


def _vnfm_trouble(run, session_id):
    """What the sample VNFMs could not do in this session: errors, replies not taken."""
    found = []
    for project, vnfm in sorted(run.vnfms.items()):
        found += ["%s: %s: %s" % (project, e["state"], e["message"]) for e in vnfm.errors
                  if e["session_id"] == session_id]
        found += ["%s: reply %s answered %s %s" % (project, r["state"], r["status"], r.get("body"))
                  for r in vnfm.replies if r["session_id"] == session_id and r["status"] != 200]
    return found


def _last_seq(run):
    events = run.env.sim.events()
    return events[-1]["seq"] if events else 0


def _disrupt_and_recover(run, watch, point, options, report):
    """Wait for the point, disrupt, recover; `{"outcome", "reason", "continues", "recovery_s"}`."""
    if not _wait_for(point, watch, run, options):
        ended = run.client.executions.get(watch.session_id).state != "RUNNING"
        state, reason = _final(run, watch.session_id)
        return {"outcome": NOT_REACHED, "final_state": state, "reason": reason, "continues": 0,
                "recovery_s": None,
                "session_s": round(time.monotonic() - watch.created_at, 1) if ended else None}
    disrupted_at = time.monotonic()
    back_at = disrupted_at
    if point.disruption == kill_points.KILL:
        run.env.crash_mistral()
        report("%s: Mistral killed" % point.name)
        try:
            run.env.start_mistral()
        except MistralStartError as exc:
            return {"outcome": NOT_RESTARTED, "reason": str(exc)[-500:], "continues": 0, "recovery_s": None}
        note = point.after_restart(run)
        if note:
            report("%s: %s" % (point.name, note))
    elif point.disruption == kill_points.CLOUD_OUTAGE:
        run.env.sim.inject_fault({"type": "api_unavailable", "seconds": options.outage_s * options.speed})
        back_at = disrupted_at + options.outage_s
    else:
        run.env.kill_reply_api()
        back_at = disrupted_at + options.outage_s
    return _follow(run, watch, point, options, disrupted_at, back_at, report)


def _wait_for(point, watch, run, options):
    deadline = time.monotonic() + options.timeout_s
    while time.monotonic() < deadline:
        if point.reached(watch):
            return True
        if run.client.executions.get(watch.session_id).state != "RUNNING":
            return False
        time.sleep(0.05)
    return False


def _follow(run, watch, point, options, disrupted_at, back_at, report):
    """Until the session ends: restore an outage at `back_at`, continue a
    failed session once the disruption is over, and note when the session
    moves again (its first own step in the event log once the service is back)."""
    restored = point.disruption != kill_points.REPLY_API_OUTAGE
    progress = {"continues": 0, "failures": [], "moving_at": None, "back_seq": None}
    last_change = time.monotonic()
    seen = _fingerprint(run.client, watch)
    deadline = time.monotonic() + options.timeout_s
    while True:
        now = time.monotonic()
        if not restored and now >= back_at:
            run.env.start_reply_api()
            restored = True
            report("%s: reply API started again" % point.name)
        if progress["back_seq"] is None and restored and now >= back_at:
            progress["back_seq"] = _last_seq(run)
        state = run.client.executions.get(watch.session_id).state
        current = _fingerprint(run.client, watch)
        if current != seen:
            seen, last_change = current, now
        if progress["moving_at"] is None and progress["back_seq"] is not None and (
                state == "SUCCESS" or audit.crash.first_step_after(watch.events(), progress["back_seq"])):
            progress["moving_at"] = now
        if state == "SUCCESS":
            return _outcome(run, watch.session_id, None, progress, disrupted_at)
        if state == "ERROR" and progress["back_seq"] is not None:
            if progress["continues"] >= options.max_continues:
                return _outcome(run, watch.session_id, None, progress, disrupted_at)
            reason = _final(run, watch.session_id)[1]
            refused = _continue(run, watch.session_id)
            report("%s: session failed (%s); continue: %s" % (point.name, reason, refused or "accepted"))
            progress["failures"].append(reason)
            if refused:
                return _outcome(run, watch.session_id, (CONTINUE_REFUSED, refused), progress, disrupted_at)
            progress["continues"] += 1
            last_change = time.monotonic()
        elif state == "RUNNING" and now - last_change > options.stall_s:
            return _outcome(run, watch.session_id, (STUCK, "nothing moved for %d s" % options.stall_s),
                            progress, disrupted_at)
        if now > deadline:
            return _outcome(run, watch.session_id, (STUCK, "still %s after %d s" % (state, options.timeout_s)),
                            progress, disrupted_at)
        time.sleep(0.5)


def _fingerprint(client, watch):
    """What changes while a session moves: the cloud's event log and the session's tasks."""
    tasks = client.tasks.list(workflow_execution_id=watch.session_id)
    events = watch.events()
    return (events[-1]["seq"] if events else 0, sorted((t.id, t.state) for t in tasks))


def _continue(run, session_id):
    """`rolling-maintenance continue`, as an operator runs it; None, or why it refused."""
    result = subprocess.run([sys.executable, "-m", "rolling_maintenance.cli", "continue", session_id,
                             "--mistral-url", run.env.mistral.url], capture_output=True, text=True, timeout=120)
    return None if result.returncode == 0 else (result.stderr.strip() or "exit %d" % result.returncode)


def _final(run, session_id):
    execution = run.client.executions.get(session_id)
    output = json.loads(execution.output or "{}")
    state = output.get("state") or {"ERROR": "MAINTENANCE_FAILED"}.get(execution.state, execution.state)
    return state, output.get("reason") or execution.state_info


def _outcome(run, session_id, verdict, progress, disrupted_at):
    """The row's outcome: `verdict` (outcome, reason) or the session's own final state."""
    outcome, reason = verdict or _final(run, session_id)
    if outcome == "MAINTENANCE_DONE":
        reason = None
    moving_at = progress["moving_at"]
    return {"outcome": outcome, "reason": (reason or "")[:300] or None, "continues": progress["continues"],
            "failures": progress["failures"],
            "recovery_s": round(moving_at - disrupted_at, 1) if moving_at else None}
