"""Bring a stopped Mistral's SQLite database to the state a kill leaves at a chosen moment.

A kill between Mistral creating a task and starting it is a window of a few
milliseconds; the tests stop Mistral at a moment they can wait for (a
session waiting for a reply), then edit the database into that window: the
task IDLE with nothing under it, and nothing after it.
"""

import datetime
import json
import sqlite3
import uuid

UNFINISHED = ("IDLE", "WAITING", "RUNNING", "RUNNING_DELAYED", "PAUSED")


def tasks(db_path, execution_id):
    """The tasks of one execution in the order Mistral created them, as dicts (id, name, state)."""
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT id, name, state FROM task_executions_v2 WHERE workflow_execution_id = ?"
            " ORDER BY rowid", (execution_id,)).fetchall()
    return [{"id": row[0], "name": row[1], "state": row[2]} for row in rows]


def _children(db, task_ids):
    """Action and sub-workflow executions under the tasks, with every task under those."""
    actions, workflows, pending = set(), set(), list(task_ids)
    while pending:
        task_id = pending.pop()
        actions.update(r[0] for r in db.execute(
            "SELECT id FROM action_executions_v2 WHERE task_execution_id = ?", (task_id,)))
        for (wf_id,) in db.execute(
                "SELECT id FROM workflow_executions_v2 WHERE task_execution_id = ?", (task_id,)).fetchall():
            workflows.add(wf_id)
            pending.extend(r[0] for r in db.execute(
                "SELECT id FROM task_executions_v2 WHERE workflow_execution_id = ?", (wf_id,)))
    sub_tasks = set()
    for wf_id in workflows:
        sub_tasks.update(r[0] for r in db.execute(
            "SELECT id FROM task_executions_v2 WHERE workflow_execution_id = ?", (wf_id,)))
    return actions, workflows, sub_tasks


def unstart_task(db_path, task_id, drop=()):
    """Leave `task_id` as created and never started (IDLE, no action or sub-workflow under
    it), and remove the tasks `drop` with everything under them, as if never created."""
    with sqlite3.connect(db_path) as db:
        actions, workflows, sub_tasks = _children(db, [task_id, *drop])
        removed_tasks = sub_tasks | set(drop)
        for table, ids in (("action_executions_v2", actions), ("workflow_executions_v2", workflows),
                           ("task_executions_v2", removed_tasks)):
            for row_id in ids:
                db.execute("DELETE FROM %s WHERE id = ?" % table, (row_id,))
        for row_id in actions | workflows | removed_tasks | {task_id}:
            db.execute("DELETE FROM scheduled_jobs_v2 WHERE func_args LIKE ?", ("%" + row_id + "%",))
        (context,) = db.execute(
            "SELECT runtime_context FROM task_executions_v2 WHERE id = ?", (task_id,)).fetchone()
        triggered_by = json.loads(context or "{}").get("triggered_by")
        fresh = {"triggered_by": triggered_by} if triggered_by else {}
        db.execute(
            "UPDATE task_executions_v2 SET state = 'IDLE', state_info = NULL, started_at = NULL,"
            " finished_at = NULL, processed = 0, published = '{}', runtime_context = ?,"
            " has_next_tasks = 0, next_tasks = '[]', error_handled = 0 WHERE id = ?",
            (json.dumps(fresh), task_id))


def reopen(db_path, executions=(), tasks=()):
    """Put finished executions and tasks back to RUNNING, as before their completion."""
    with sqlite3.connect(db_path) as db:
        for wf_id in executions:
            db.execute("UPDATE workflow_executions_v2 SET state = 'RUNNING', state_info = NULL,"
                       " output = '{}' WHERE id = ?", (wf_id,))
        for task_id in tasks:
            db.execute("UPDATE task_executions_v2 SET state = 'RUNNING', state_info = NULL,"
                       " finished_at = NULL, processed = 0, published = '{}', has_next_tasks = 0,"
                       " next_tasks = '[]' WHERE id = ?", (task_id,))



def taken_delayed_call(db_path, target, arguments, key):
    """A delayed call as a process killed while running it leaves it: due,
    marked taken (`processing`), never deleted; with an empty request
    context, as authentication is off."""
    at = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.000000")
    with sqlite3.connect(db_path) as db:
        db.execute("INSERT INTO delayed_calls_v2 (id, target_method_name, method_arguments, key, auth_context,"
                   " execution_time, processing, created_at) VALUES (?, ?, ?, ?, '{}', ?, 1, ?)",
                   (str(uuid.uuid4()), target, json.dumps(arguments), key, at, at))
