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
