"""The first round of a parallel session, widened by packing its hosts
together.

Built host after host, the first round stops where a host's instances no
longer fit in the gaps the earlier hosts' instances left, though their
sizes together would fill those gaps exactly. On a cloud with 10 % free,
ten hosts can be empty at once only if every other host ends full to the
GiB; host after host the round stops at nine, and so does every round that
follows (the hosts maintained are the next round's only room). Packing the
round's instances together, biggest first, fills the gaps. The round is
the widest prefix of the candidates (in the first round's order) that packs
within the limits: the session's limit, the room and the share of
instances that may move twice.
"""

from rolling_maintenance.planner.placement.evacuation import evacuate_together


def _most_by_room(snapshot, candidates, pool):
    """How many of the first `candidates` the pool's room could hold at
    most, in vcpus and ram, each one's own room no longer counting."""
    room_vcpus, room_ram_mb = pool.room()
    count = 0
    for host in candidates:
        own_vcpus, own_ram_mb = pool.free(host) if host in pool else (0, 0)
        need_vcpus, need_ram_mb = snapshot.used[host]
        room_vcpus -= need_vcpus + max(0, own_vcpus)
        room_ram_mb -= need_ram_mb + max(0, own_ram_mb)
        if room_vcpus < 0 or room_ram_mb < 0:
            break
        count += 1
    return count


def _most_by_share(snapshot, candidates, pool, moved_again):
    """How many of the first `candidates` may join when every target will
    move its instances again: their instances within the share."""
    if moved_again is None or any(name not in moved_again[0] for name in pool.names()):
        return len(candidates)
    count = moving = 0
    for host in candidates:
        moving += len(snapshot.by_host[host])
        if moving > moved_again[1]:
            break
        count += 1
    return count


def _packs(snapshot, hosts, pool, default_type, moved_again):
    """The moves emptying `hosts` together, or None when they do not all
    fit or would move more instances twice than allowed."""
    moves, _stuck = evacuate_together(snapshot, hosts, pool, default_type)
    if moves is None:
        return None
    if moved_again is not None:
        again = sum(1 for move in moves if move["to"] in moved_again[0])
        if again > moved_again[1]:
            return None
    return moves


def widest_packed_round(snapshot, candidates, pool, default_type, limit, moved_again, wider_than):
    """`(hosts, moves)` of the widest prefix of `candidates` of more than
    `wider_than` hosts that packs together (see the module), or None.

    `candidates`: hosts that may join the round, in the order they are
    taken; `moved_again`: `(hosts whose instances will move again, most
    such moves)` or None. The widest prefix is tried first, then the
    widths between by bisection, as a narrower prefix mostly packs where a
    wider one does."""
    most = min(_most_by_room(snapshot, candidates, pool),
               _most_by_share(snapshot, candidates, pool, moved_again))
    if limit is not None:
        most = min(most, limit)
    if most <= wider_than:
        return None

    def packed(width):
        moves = _packs(snapshot, candidates[:width], pool, default_type, moved_again)
        return None if moves is None else (list(candidates[:width]), moves)

    found = packed(most)
    if found is not None:
        return found
    low, high = wider_than, most - 1
    while low < high:
        width = (low + high + 1) // 2
        tried = packed(width)
        if tried is not None:
            found, low = tried, width
        else:
            high = width - 1
    return found
