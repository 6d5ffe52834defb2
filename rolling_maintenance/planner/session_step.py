"""One step of a session: the planner's decision plus the session's bookkeeping.

The workflow publishes what this returns, so the counting (scale-in rounds,
hosts maintained, percent done, who is asked) happens here, tested, and not
in YAQL.
"""

from rolling_maintenance.planner import default_strategy, steps

PROGRESS_KEYS = ("maintained", "scale_in_rounds", "unsubscribed", "recently_moved")


def initial_progress():
    return {"maintained": [], "scale_in_rounds": 0, "unsubscribed": [], "recently_moved": []}


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
    """The planner's view of the session (see `default_strategy.plan_next`)."""
    return {
        "recovering": recovering(snapshot or {}, progress),
        "hosts": session["hosts"],
        "maintained": progress["maintained"],
        "scale_in_rounds": progress["scale_in_rounds"],
        "max_scale_in_rounds": session.get("max_scale_in_rounds", 2),
        "default_migration_type": session.get("migration_type", "LIVE_MIGRATE"),
        "max_parallel_hosts": session.get("max_parallel_hosts", 1),
    }


def next_progress(progress, step):
    """The progress once `step` has been carried out."""
    start = initial_progress()
    new = {}
    for key in PROGRESS_KEYS:
        value = progress.get(key, start[key])
        new[key] = list(value) if isinstance(value, list) else value
    if step["state"] == "SCALE_IN":
        new["scale_in_rounds"] += 1
    elif step["state"] == "START_MAINTENANCE":
        new["maintained"] += [h for h in step["hosts"] if h not in new["maintained"]]
    elif step["state"] in steps.MOVING_STATES:
        new["recently_moved"] = [move["instance"] for move in step["moves"]]
    return new


def session_step(snapshot, session, progress):
    """Decide the next state and say what it takes."""
    asked = planner_progress(session, progress, snapshot)
    step = default_strategy.plan_next(snapshot, asked)
    unsubscribed = set(progress["unsubscribed"])
    step["ask_projects"] = [p for p in step.get("projects", []) if p not in unsubscribed]
    # The parallel planner already keeps a step's hosts within max_parallel_hosts.
    step["concurrency"] = 1 if asked["max_parallel_hosts"] == 1 else max(1, len(step["hosts"]))
    step["progress"] = next_progress(progress, step)
    step["hosts_total"] = len(session["hosts"])
    step["hosts_done"] = len(progress["maintained"])
    step["percent_done"] = percent_done(session, progress)
    return step
