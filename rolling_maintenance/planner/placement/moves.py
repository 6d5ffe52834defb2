"""Turn the planner's moves and the projects' replies into instance actions."""

from rolling_maintenance.workflow.contract import INSTANCE_ACTIONS, LIVE_MIGRATE


def replied_actions(replies):
    """`{instance_id: action}` from the replies of every project."""
    chosen = {}
    for reply in replies or []:
        chosen.update((reply or {}).get("instance_actions") or {})
    return chosen


def moves_for_host(moves, host, replies, default_type=LIVE_MIGRATE):
    """The moves that empty `host`, each with the action to take.

    A project's reply decides how its instance moves (OWN_ACTION: the VNFM
    moves or re-creates it itself); without one, the planner's type, else
    the session's default. The planner's target stays, so the instance lands
    where the plan keeps every constraint.
    """
    chosen = replied_actions(replies)
    resolved = []
    for move in moves:
        if move["from"] != host:
            continue
        action = chosen.get(move["instance"]) or move.get("type") or default_type
        if action not in INSTANCE_ACTIONS:
            raise ValueError("instance %s: unknown action %r" % (move["instance"], action))
        resolved.append(dict(move, type=action))
    return resolved


def moves_by_host(moves, hosts, replies, default_type=LIVE_MIGRATE):
    """`[{"host", "moves", "awaited"}]`, one per host of `hosts`, in order:
    the moves that empty it (as `moves_for_host`), and where each instance
    they come `after` moves from, `{instance: {"from", "type"}}`, so that a
    host's moves can be carried out knowing only their own part of the plan.
    """
    chosen = replied_actions(replies)
    source = {m["instance"]: m for m in moves}
    plans = []
    for host in hosts:
        own = moves_for_host(moves, host, replies, default_type)
        awaited = {}
        for move in own:
            for instance_id in move.get("after") or ():
                other = source.get(instance_id)
                if other is None:
                    raise ValueError("instance %s: comes after %s, which the plan does not move"
                                     % (move["instance"], instance_id))
                awaited[instance_id] = {
                    "from": other["from"],
                    "type": chosen.get(instance_id) or other.get("type") or default_type}
        plans.append({"host": host, "moves": own, "awaited": awaited})
    return plans


def seconds_to_turn(move, told_at, now):
    """Seconds until `move` may start: once the project of every instance it
    comes `after` was told that instance moved (`told_at`: when, epoch
    seconds), its group's `recovery_s` after the last of them: the time the
    application needs once told (it takes the moved member back, switches
    roles). None while one was not told."""
    after = move.get("after") or []
    if any(instance_id not in told_at for instance_id in after):
        return None
    if not after:
        return 0.0
    return max(0.0, max(told_at[i] for i in after) + (move.get("recovery_s") or 0) - now)
