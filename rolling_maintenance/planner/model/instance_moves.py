"""Carry planned moves out on a snapshot, as the cloud would.

Lets tests and the dry run walk a session to its end without a cloud. A
move that does not match the snapshot (an unknown instance, an instance no
longer on the host the move starts from) is refused, naming it, because the
plan was made for another state of the cloud.
"""

from rolling_maintenance.planner.model.errors import InvalidInput
from rolling_maintenance.planner.model.fields import describe
from rolling_maintenance.planner.model.snapshot import parse_snapshot


def _check_moves(snapshot, moves):
    if not isinstance(moves, list):
        return ["moves: must be a list, got %s" % type(moves).__name__]
    errors, hosts_now = [], {}
    for index, move in enumerate(moves):
        where = "moves[%d]" % index
        if not isinstance(move, dict):
            errors.append("%s: must be an object, got %s" % (where, type(move).__name__))
            continue
        instance_id, source, target = move.get("instance"), move.get("from"), move.get("to")
        instance = snapshot.instances.get(instance_id) if isinstance(instance_id, str) else None
        if instance is None:
            errors.append("%s: instance %s is not in the snapshot" % (where, describe(instance_id)))
            continue
        current = hosts_now.get(instance_id, instance.host)
        if source != current:
            errors.append("%s: instance %s is on %s, not on %s" % (where, instance_id, current, describe(source)))
        if not isinstance(target, str) or target not in snapshot.hosts:
            errors.append("%s: target %s is not a known host" % (where, describe(target)))
        elif target == current:
            errors.append("%s: instance %s is already on %s" % (where, instance_id, target))
        hosts_now[instance_id] = target
    return errors


def move_instances(snapshot, moves):
    """Apply `moves` to a `Snapshot` in place; raises `InvalidInput` first if any is wrong."""
    errors = _check_moves(snapshot, moves)
    if errors:
        raise InvalidInput(errors)
    for move in moves:
        snapshot.move(move["instance"], move["to"])


def apply_moves(snapshot, moves):
    """A new snapshot dict with every move done; the given one is not changed."""
    snap = parse_snapshot(snapshot)
    move_instances(snap, moves)
    return snap.to_dict()


def moved_twice_allowed(snapshot, scope, percent):
    """How many instances may move twice: `percent` of those on the hosts in `scope`."""
    return sum(len(snapshot.by_host[h]) for h in scope) * percent // 100
