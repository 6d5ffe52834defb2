"""`rolling-maintenance status SESSION`: a session's progress from Mistral's API.

Reads only what Mistral keeps (the execution, its tasks and their results,
the session's ask records and the questions they name), so it works for any
session, running, failed or done, from any machine that reaches the API.
"""

import json
import sys

from rolling_maintenance.mistral import asks
from rolling_maintenance.mistral import client as mistral_client
from rolling_maintenance.mistral import session_records
from rolling_maintenance.workflow import ask as ask_record
from rolling_maintenance.workflow import contract, session_step


def _published(task):
    """What a task published (task lists carry it; their `result` is left out)."""
    try:
        return json.loads(task.published) if task.published else {}
    except (TypeError, ValueError):
        return {}


def pending_replies(client, session_id):
    """`[{"project_id", "state"}]` of the projects the session waits for."""
    found = asks.MistralAsks(client)
    pending = []
    for record in found.session_records(session_id):
        ask = found.get(ask_record.latest(record))
        if ask is not None and ask.waiting:
            pending.append({"project_id": ask.project_id, "state": ask.state})
    return sorted(pending, key=lambda p: (p["project_id"] or "", p["state"] or ""))


def session_progress(client, session_id):
    """The session's state, hosts done / total, migrations and pending replies."""
    execution = client.executions.get(session_id)
    tasks = sorted(client.tasks.list(workflow_execution_id=session_id),
                   key=lambda t: (t.created_at or "", t.id))
    last_step = None
    migrations = 0
    for task in tasks:
        published = _published(task)
        if task.name == contract.DECIDE_TASK and isinstance(published.get("step"), dict):
            last_step = published["step"]
        elif task.name in contract.MOVED_TASKS and isinstance(published.get("moved"), list):
            migrations += sum(len(item.get("moves", [])) for item in published["moved"]
                              if isinstance(item, dict))
    output = json.loads(execution.output or "{}")
    if execution.state == "SUCCESS":
        state = output.get("state", contract.MAINTENANCE_DONE)
    elif execution.state == "ERROR":
        state = contract.MAINTENANCE_FAILED
    elif execution.state == "CANCELLED":
        state = contract.MAINTENANCE_CANCELLED
    else:
        state = last_step["state"] if last_step else contract.MAINTENANCE
    hosts_total = last_step["hosts_total"] if last_step else None
    hosts_done = last_step["hosts_done"] if last_step else 0
    if state == contract.MAINTENANCE_DONE and hosts_total is not None:
        hosts_done = hosts_total
    return {
        "session_id": session_id,
        "execution_state": execution.state,
        "state": state,
        "hosts_done": hosts_done,
        "hosts_total": hosts_total,
        "migrations": migrations,
        "pending_replies": pending_replies(client, session_id) if execution.state == "RUNNING" else [],
        "reason": output.get("reason") or (execution.state_info if execution.state == "ERROR" else None),
    }


def _latest_published(tasks, name):
    """What the newest task that published `name` published under it, or None."""
    found = None
    for task in tasks:
        value = _published(task).get(name)
        if value is not None:
            found = value
    return found


def _project_states(client, session_id):
    """`{project_id: state}`: the last question to each project and its answer, if any."""
    found = asks.MistralAsks(client)
    states = {}
    for record in found.session_records(session_id):
        ask = found.get(ask_record.latest(record))
        if ask is None:
            continue
        reply = ask.reply
        states[ask.project_id] = reply["state"] if reply else (
            "waiting for %s" % ask.state if ask.waiting else "no reply to %s" % ask.state)
    return states


def session_detail(client, session_id):
    """What an admin needs to troubleshoot a session: its progress, and each
    host, project and instance in scope with its state."""
    progress = session_progress(client, session_id)
    tasks = sorted(client.tasks.list(workflow_execution_id=session_id),
                   key=lambda t: (t.created_at or "", t.id))
    session = _latest_published(tasks, "session") or {}
    # The session's records, not the last published progress: that one
    # counts the hosts a `decide` chose before they are done.
    maintained = set(session_step.maintained_hosts(session_records.read_session(client, session_id)))
    if progress["state"] == contract.MAINTENANCE_DONE:
        maintained = set(session.get("hosts", []))
    projects = _latest_published(tasks, "projects") or {}
    unsubscribed = set(projects.get("unsubscribed", []))
    moves = {}
    for task in tasks:
        for item in _published(task).get("moved") or []:
            for move in item.get("moves", []) if isinstance(item, dict) else []:
                moves[move.get("server")] = move
    replies = _project_states(client, session_id)
    by_project = projects.get("instances_by_project") or {}
    return dict(
        progress,
        hosts=[{"hostname": h, "state": "MAINTAINED" if h in maintained else "NOT_MAINTAINED"}
               for h in session.get("hosts", [])],
        projects=[{"project_id": p, "subscribed": p not in unsubscribed,
                   "state": replies.get(p)} for p in sorted(by_project)],
        instances=[{"instance_id": i, "project_id": p,
                    "state": "MOVED" if i in moves else "NOT_MOVED",
                    "move": moves.get(i)} for p in sorted(by_project) for i in by_project[p]],
    )


def format_progress(progress):
    """One line for a terminal."""
    pending = ", ".join("%s(%s)" % (p["project_id"], p["state"]) for p in progress["pending_replies"])
    line = "%-22s hosts %s/%s  migrations %d  waiting for: %s" % (
        progress["state"], progress["hosts_done"],
        "?" if progress["hosts_total"] is None else progress["hosts_total"],
        progress["migrations"], pending or "-")
    if progress["reason"]:
        line += "  reason: %s" % progress["reason"]
    return line


def client_or_exit(mistral_url, command):
    """The command line's Mistral client, or exit with one line naming what to set."""
    try:
        return mistral_client.from_env(mistral_url)
    except mistral_client.NoMistral as exc:
        raise SystemExit("%s: %s" % (command, exc)) from None


def add_arguments(parser):
    parser.add_argument("session_id", help="the session id (the execution id of maintenance.rolling)")
    parser.add_argument("--mistral-url", help="Mistral API URL (default: OS_MISTRAL_URL)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a line")
    parser.add_argument("--watch", type=float, metavar="SECONDS",
                        help="print again every SECONDS until the session ends")


def run(args, out=None):
    import time

    out = out or sys.stdout
    client = client_or_exit(args.mistral_url, "status")
    last = None
    while True:
        progress = session_progress(client, args.session_id)
        text = json.dumps(progress) if args.json else format_progress(progress)
        if text != last:
            print(text, file=out, flush=True)
            last = text
        if not args.watch or progress["execution_state"] != "RUNNING":
            return 0
        time.sleep(args.watch)
