"""Which host to empty next: the cheapest one that can be emptied.

Candidates are tried cheapest first (least ram to move, then fewest
instances, then name) and the first that can be emptied wins, so the usual
decision costs one trial. Hosts whose instances cannot fit by sheer numbers
(not enough room in total, or an instance no host has room for) are skipped
without a trial; when none can be emptied the answer says how much room is
missing, or which instance fits nowhere.
"""

import bisect

from rolling_maintenance.planner.model.wording import plural, size
from rolling_maintenance.planner.placement.evacuation import blocks_on, evacuate


class Choice:
    __slots__ = ("host", "moves")

    def __init__(self, host, moves):
        self.host = host
        self.moves = moves


class FreeRoom:
    """Free room of a pool, computed once per decision: in total (so the
    room without any one host costs O(1)), and as the hosts no other host
    beats on both vcpus and ram (so "does this fit on any host?" is a
    bisection, not a scan)."""

    def __init__(self, pool):
        self._free = {name: pool.free(name) for name in pool.names()}
        self.vcpus, self.ram_mb = pool.room()
        frontier = []
        for vcpus, ram_mb in sorted(self._free.values(), key=lambda f: (-f[1], -f[0])):
            if not frontier or vcpus > frontier[-1][1]:
                frontier.append((ram_mb, vcpus))
        frontier.reverse()
        self._frontier = frontier

    def total_without(self, host):
        vcpus, ram_mb = self._free.get(host, (0, 0))
        return self.vcpus - max(0, vcpus), self.ram_mb - max(0, ram_mb)

    def fits_somewhere(self, vcpus, ram_mb):
        """Whether some host of the pool (the host being emptied included)
        has the room, policies aside."""
        index = bisect.bisect_left(self._frontier, (ram_mb,))
        return index < len(self._frontier) and self._frontier[index][1] >= vcpus


def _missing_text(vcpus, ram_mb):
    parts = []
    if vcpus > 0:
        parts.append(plural(vcpus, "vcpu"))
    if ram_mb > 0:
        parts.append("%d MB" % ram_mb)
    return " and ".join(parts)


def choose_host_to_empty(snapshot, candidates, pool, default_type):
    """`(Choice, None)` for the cheapest candidate that can be emptied onto
    `pool`, else `(None, explanation)`."""
    if not candidates:
        return None, "there is no host to empty"
    room = FreeRoom(pool)
    order = sorted(candidates, key=lambda h: (snapshot.used[h][1], len(snapshot.by_host[h]), h))
    closest = None
    stuck = None
    for host in order:
        need_vcpus, need_ram_mb = snapshot.used[host]
        have_vcpus, have_ram_mb = room.total_without(host)
        missing = (max(0, need_ram_mb - have_ram_mb), max(0, need_vcpus - have_vcpus))
        if missing != (0, 0):
            if closest is None or missing < closest[0]:
                closest = (missing, host, need_vcpus, need_ram_mb, have_vcpus, have_ram_mb)
            continue
        blocks = blocks_on(snapshot, host)
        too_big = next((b for b in blocks if not room.fits_somewhere(b.vcpus, b.ram_mb)), None)
        if too_big is not None:
            if stuck is None:
                stuck = "%s: %s fits on no target: no target has %s free" % (
                    host, too_big.describe(), size(too_big.vcpus, too_big.ram_mb))
            continue
        moves, why = evacuate(snapshot, host, pool, default_type, blocks)
        if moves is not None:
            return Choice(host, moves), None
        if stuck is None:
            stuck = "%s: %s" % (host, why.describe())
    if stuck is not None:
        return None, "the targets have room in total, but not where it is needed: %s" % stuck
    (missing_ram_mb, missing_vcpus), host, need_vcpus, need_ram_mb, have_vcpus, have_ram_mb = closest
    return None, "emptying %s, the closest, needs %s on the targets, which have %s free: %s missing" % (
        host, size(need_vcpus, need_ram_mb), size(have_vcpus, have_ram_mb),
        _missing_text(missing_vcpus, missing_ram_mb))
