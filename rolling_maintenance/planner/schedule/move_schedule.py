"""When each move of a round runs, keeping every group's impact limit.

A member of a group is impacted from the start of its move until the move
has ended and the group's `recovery_time` has passed. A group that allows m
members impacted at once has m slots: a move takes a free slot and waits for
the member that held the slot before it (the move's `after`). So at most m
members are impacted at once however long the real moves take, and the
workflow needs no shared state to keep it: a move waits until its `after`
instances have left their hosts, then for the recovery time.

Moves off one source run one after the other (Nova migrates one instance per
source host at a time by default). Planning orders them by list scheduling:
each source's queue holds the members of the groups with the longest chain
of impacts first (so those chains start at once and do not outlast the
round), and an idle source takes its first move that can start now (its
group has a free slot, the instance is ready), so no source waits while it
has a move it could run. Replaying a plan runs each source's moves in the
given order, each after its `after` moves, which gives the same times for a
planned round.
Slots count within a round; between rounds a group has had the round's
whole maintenance time to recover.
"""

import heapq

from rolling_maintenance.planner.model.constraints import instance_seconds, max_impacted, recovery_time
from rolling_maintenance.planner.schedule.duration import move_s, read_timing


class _Slots:
    """The slots of the impact-limited groups: `[free_at, holder]` each."""

    def __init__(self, snapshot):
        self._snapshot = snapshot
        self._slots = {}

    def group_of(self, instance):
        if instance.group_id is None:
            return None
        group = self._snapshot.groups.get(instance.group_id)
        return group if max_impacted(group) is not None else None

    def _of(self, group):
        slots = self._slots.get(group.group_id)
        if slots is None:
            slots = [[0.0, None] for _ in range(max(1, max_impacted(group)))]
            self._slots[group.group_id] = slots
        return slots

    def free_slot(self, group, now):
        """The slot free longest at `now`, or None."""
        free = [slot for slot in self._of(group) if slot[0] <= now]
        return min(free, key=lambda slot: slot[0]) if free else None


class _Run:
    """One run of the clock: each source's queue, the sources busy moving,
    and what each waiting source waits for, so that an event rechecks only
    the sources it may let go on."""

    def __init__(self, moves, start, replay):
        self.replay = replay
        self.queues = {}
        for move in moves:
            self.queues.setdefault(move["from"], []).append(move)
        self.busy = set()
        self.waiting = {}
        self.events = []
        self.sequence = 0
        self.now = start
        self.left = len(moves)
        self.ended = {}
        self.timeline = []

    def at(self, when, key):
        """Recheck what waits for `key` at `when`: ("idle", source),
        ("source", source), ("slot", group id) or ("ended", instance id)."""
        self.sequence += 1
        heapq.heappush(self.events, (max(when, self.now), self.sequence, key))

    def wait_for(self, key, source):
        self.waiting.setdefault(key, set()).add(source)

    def start(self, source, move, begin, end):
        self.busy.add(source)
        self.ended[move["instance"]] = end
        self.timeline.append((move, begin, end))
        self.left -= 1
        self.at(end, ("idle", source))
        if self.replay:
            self.at(end, ("ended", move["instance"]))

    def next_sources(self):
        """Advance the clock to the next event; the sources to recheck then,
        or None when nothing is left to wait for."""
        if not self.events:
            return None
        self.now = self.events[0][0]
        found = set()
        while self.events and self.events[0][0] <= self.now:
            _when, _number, key = heapq.heappop(self.events)
            if key[0] == "idle":
                self.busy.discard(key[1])
            if key[0] in ("idle", "source"):
                found.add(key[1])
            else:
                found.update(self.waiting.pop(key, ()))
        return found


def _chains_first(moves, snapshot, slots, timing):
    """Moves of the groups whose chain of impacts is longest first, so the
    chains start at once and do not outlast the round's other moves."""
    chain = {}
    for move in moves:
        group = slots.group_of(snapshot.instances[move["instance"]])
        if group is not None:
            seconds = move_s(snapshot.instances[move["instance"]], move["type"], timing) + recovery_time(group)
            chain[group.group_id] = chain.get(group.group_id, 0.0) + seconds / max(1, max_impacted(group))

    def longest(indexed):
        index, move = indexed
        group_id = snapshot.instances[move["instance"]].group_id
        return (-chain.get(group_id, 0.0), index)

    return [move for _index, move in sorted(enumerate(moves), key=longest)]


def _ready_at(move, ready):
    return ready.get(move["instance"], 0.0) if ready else 0.0


def _pick(run, source, snapshot, slots, ready):
    """Planning: the first move of `source` that can start now, with its
    slot; else None, the source waiting for what holds its moves back."""
    for index, move in enumerate(run.queues[source]):
        at = _ready_at(move, ready)
        if at > run.now:
            run.at(at, ("source", source))
            continue
        group = slots.group_of(snapshot.instances[move["instance"]])
        slot = slots.free_slot(group, run.now) if group is not None else None
        if group is not None and slot is None:
            run.wait_for(("slot", group.group_id), source)
            continue
        return index, slot, group
    return None


def _next_in_order(run, source, snapshot, ready):
    """Replay: the source's next move, if its `after` moves and its
    instance allow it to start now; else None, the source waiting."""
    move = run.queues[source][0]
    start = _ready_at(move, ready)
    for instance_id in move.get("after") or ():
        if instance_id not in run.ended:
            run.wait_for(("ended", instance_id), source)
            return None
        group = snapshot.groups.get(snapshot.instances[instance_id].group_id)
        start = max(start, run.ended[instance_id] + recovery_time(group))
    if start > run.now:
        run.at(start, ("source", source))
        return None
    return 0, None, None


def schedule_moves(moves, snapshot, timing, start=0.0, ready=None, plan=True):
    """`[(move, start_s, end_s)]` in start order.

    `plan=True` orders the moves and gives each (a new dict) the `after`
    instances it waits for and the `recovery_s` to wait once they moved;
    `plan=False` replays moves already ordered.
    `ready`: `{instance id: earliest start}` (lead time, recovery from an
    earlier round). Raises RuntimeError when replayed moves wait on each
    other in a circle.
    """
    slots = _Slots(snapshot)
    if plan:
        moves = _chains_first(moves, snapshot, slots, timing)
    run = _Run(moves, start, replay=not plan)
    check = set(run.queues)
    while run.left:
        for source in sorted(check):
            if source in run.busy or not run.queues[source]:
                continue
            chosen = (_pick(run, source, snapshot, slots, ready) if plan
                      else _next_in_order(run, source, snapshot, ready))
            if chosen is None:
                continue
            index, slot, group = chosen
            move = run.queues[source].pop(index)
            instance = snapshot.instances[move["instance"]]
            end = run.now + move_s(instance, move["type"], timing)
            if plan:
                after = [slot[1]] if slot is not None and slot[1] is not None else []
                move = dict(move, after=after, recovery_s=recovery_time(group) if after else 0)
                if slot is not None:
                    slot[0], slot[1] = end + recovery_time(group), instance.id
                    run.at(slot[0], ("slot", group.group_id))
            run.start(source, move, run.now, end)
        if not run.left:
            break
        check = run.next_sources()
        if check is None:
            raise RuntimeError("the moves wait on each other: %d cannot start" % run.left)
    return run.timeline


def order_moves(snapshot, moves, timing=None):
    """A step's moves in the order they start, each with its `after`;
    the projects' lead times count (timing: the snapshot's when None)."""
    timing = timing or read_timing(snapshot.raw.get("timing"))
    lead = {m["instance"]: instance_seconds(snapshot.instances[m["instance"]], "lead_time") for m in moves}
    return [move for move, _start, _end in schedule_moves(moves, snapshot, timing, ready=lead)]
