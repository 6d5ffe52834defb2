"""One step of a session: the planner's decision plus the session's bookkeeping.

The workflow publishes what `workflow_step` returns, so the counting
(scale-in rounds, hosts maintained, percent done, who is asked) happens
here, tested, and not in YAQL. The decision itself is the planner's
(`planner.plan_next` over `planner_progress`).
"""

from rolling_maintenance.workflow import contract

PROGRESS_KEYS = ("maintained", "scale_in_rounds", "unsubscribed", "recently_moved")


def initial_progress():
    return {"maintained": [], "scale_in_rounds": 0, "unsubscribed": [], "recently_moved": []}


def held_elsewhere(snapshot, holding, session_id):
    """The snapshot with the hosts other sessions hold (`holding`: `[{"id",
    "hosts"}]`) marked disabled, so that none is a target: such a session
    takes its hosts out of the scheduler and empties them whenever its turn
    comes, so an instance placed there would be refused or moved twice."""
    held = {host for other in holding if other["id"] != session_id for host in other["hosts"]}
    if not held:
        return snapshot
    hosts = [dict(h, enabled=False) if h.get("name") in held else h for h in snapshot.get("hosts") or []]
    return dict(snapshot, hosts=hosts)


def projects_in_scope(snapshot, hosts):
    """`{project_id: [instance ids]}` for the instances on `hosts`, sorted."""
    scope = set(hosts)
    found = {}
    for instance in snapshot["instances"]:
        if instance.get("host") in scope:
            found.setdefault(instance["project_id"], []).append(instance["id"])
    return {project: sorted(ids) for project, ids in sorted(found.items())}


def percent_done(session, progress):
    total = len(session["hosts"])
    return 100 if total == 0 else int(100 * len(progress["maintained"]) / total)


def recovering(snapshot, progress):
    """Instances the previous round moved whose group needs time to recover:
    the workflow has no clock to tell whether that time has passed, so they
    are not moved again in the next round."""
    recovery = {g["group_id"]: g.get("recovery_time") or 0 for g in snapshot.get("groups", [])}
    groups = {i["id"]: i.get("group_id") for i in snapshot.get("instances", [])}
    return [i for i in progress.get("recently_moved", []) if recovery.get(groups.get(i), 0) > 0]


def planner_progress(session, progress, snapshot=None):
    """The planner's view of the session (see `planner.plan_next`); `session`
    is a validated one (`session_input.validate_session_input`)."""
    return {
        "recovering": recovering(snapshot or {}, progress),
        "hosts": session["hosts"],
        "maintained": progress["maintained"],
        "scale_in_rounds": progress["scale_in_rounds"],
        "max_scale_in_rounds": session["max_scale_in_rounds"],
        "default_migration_type": session["migration_type"],
        "max_parallel_hosts": session["max_parallel_hosts"],
        "max_moved_twice_percent": session.get("max_moved_twice_percent"),
    }


def next_progress(progress, step):
    """The progress once `step` has been carried out."""
    start = initial_progress()
    new = {}
    for key in PROGRESS_KEYS:
        value = progress.get(key, start[key])
        new[key] = list(value) if isinstance(value, list) else value
    if step["state"] == contract.SCALE_IN:
        new["scale_in_rounds"] += 1
    elif step["state"] == contract.START_MAINTENANCE:
        new["maintained"] += [h for h in step["hosts"] if h not in new["maintained"]]
    elif step["state"] in contract.MOVING_STATES:
        new["recently_moved"] = [move["instance"] for move in step["moves"]]
    return new


def maintained_hosts(records):
    """The hosts a session's records (`mistral.session_records`) say are
    maintained and back, in the order they were done."""
    done = [(r["maintained_at"], host) for host, r in records.items() if r.get("maintained_at")]
    return [host for _, host in sorted(done)]


def durable_progress(progress, records, recorded=None):
    """The progress to go on from: the one the last `decide` recorded
    (`recorded`, else the published `progress`), with the hosts maintained
    taken from the session's host `records`. A published progress may come
    from an older task than the last one done (a rerun task reads the
    workflow's first path into it); the records never do."""
    start = initial_progress()
    base = recorded or progress or {}
    merged = {key: base.get(key, start[key]) for key in PROGRESS_KEYS}
    merged["maintained"] = maintained_hosts(records)
    return merged


def next_host_plugin(done, plugins):
    """The first of the host `plugins` whose index is not in `done` (those
    that succeeded on the host): `{"index", "plugin"}`, both None when every
    one did. Plug-ins run in the order given, each after the one before
    succeeded."""
    done = set(done)
    for index, plugin in enumerate(plugins):
        if index not in done:
            return {"index": index, "plugin": plugin}
    return {"index": None, "plugin": None}


def workflow_step(decision, session, progress):
    """The planner's `decision` with what the workflow reads besides: whom
    to ask, how many hosts at once, the progress after it, the counts."""
    step = dict(decision)
    unsubscribed = set(progress["unsubscribed"])
    step["ask_projects"] = [p for p in step.get("projects", []) if p not in unsubscribed]
    # The parallel planner already keeps a step's hosts within max_parallel_hosts.
    step["concurrency"] = 1 if session["max_parallel_hosts"] == 1 else max(1, len(step["hosts"]))
    step["progress"] = next_progress(progress, step)
    step["hosts_total"] = len(session["hosts"])
    step["hosts_done"] = len(progress["maintained"])
    step["percent_done"] = percent_done(session, progress)
    step["next_task"] = contract.next_task(step["state"], session.get("workflow"))
    return step
