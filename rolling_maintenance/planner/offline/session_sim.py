"""A whole session on a snapshot, without a cloud: what a dry run prints.

Each step is carried out as the workflow would: moves are done,
START_MAINTENANCE marks its hosts maintained, SCALE_IN asks `scale_in`
(when given) for the snapshot after the projects scaled in and counts the
round. The snapshot is kept parsed and updated in place between steps, so a
long session costs one decision per step and not a re-read of the cloud.
"""

from rolling_maintenance.planner.model import steps
from rolling_maintenance.planner.model.instance_moves import move_instances
from rolling_maintenance.planner.model.progress import parse_progress
from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.strategy.next_step import decide



class SessionState:
    """The simulated cloud and progress right after a step.

    Read it before asking for the next step: the simulation goes on in place.
    """

    def __init__(self, snapshot, progress):
        self._snapshot = snapshot
        self._progress = progress

    def snapshot(self):
        """The cloud as a snapshot dict."""
        return self._snapshot.to_dict()

    def progress(self):
        """The progress as a dict, as the next decision will read it."""
        return self._progress.to_dict()


def iter_session(snapshot, progress, scale_in=None):
    """Yield `(step, SessionState)` until MAINTENANCE_COMPLETE or _FAILED.

    `scale_in(snapshot_dict, step)` returns the snapshot dict once the
    projects have scaled in; without it nothing changes and the rounds run
    out. Raises `InvalidInput` for bad input (also a bad snapshot from
    `scale_in`), and RuntimeError if a host that was emptied is not
    maintained next, which would be a planner bug and an endless loop.
    """
    snap = parse_snapshot(snapshot)
    prog = parse_progress(progress, snap)
    emptied = None
    while True:
        step = decide(snap, prog)
        state = step["state"]
        if emptied is not None and (state != steps.START_MAINTENANCE or emptied not in step["hosts"]):
            raise RuntimeError("host %s was emptied but the next step is %s %s, not its maintenance" % (
                emptied, state, step["hosts"]))
        emptied = None
        if state in steps.MOVING_STATES:
            move_instances(snap, step["moves"])
            emptied = step["hosts"][0]
        elif state == steps.START_MAINTENANCE:
            prog.maintained.extend(step["hosts"])
        elif state == steps.SCALE_IN:
            if scale_in is not None:
                snap = parse_snapshot(scale_in(snap.to_dict(), step))
                prog = parse_progress(prog.to_dict(), snap)
            prog.scale_in_rounds += 1
        yield step, SessionState(snap, prog)
        if state in steps.FINAL_STATES:
            return


def simulate_session(snapshot, progress, scale_in=None):
    """Every step of the session, from this snapshot to its end (see `iter_session`)."""
    return [step for step, _state in iter_session(snapshot, progress, scale_in)]
