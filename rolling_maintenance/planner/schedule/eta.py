"""When a live migration under way should end, from two looks at its copy.

Nova shows a running live migration's memory copied and left to copy
(libvirt's pre-copy). Two looks give the pace of the copy on the clock of
whoever looks, so the step that follows a migration can look again when
it should have ended, not every second, whatever clock the cloud keeps.
"""

import math

# Looks at once (no wait) in the last second of a copy; then back to polling,
# so a switch-over that lingers with nothing left to copy is not spun on.
MAX_QUICK_LOOKS = 5


def seconds_left(earlier, later):
    """Seconds until the copy ends at the pace between two looks
    `{"at": seconds, "copied": bytes, "left": bytes}`; None when the pace is
    unknown: no earlier look, nothing copied at it yet (the copy may have
    started since), or no progress."""
    if not earlier or not later or earlier["copied"] <= 0 or later["at"] <= earlier["at"]:
        return None
    pace = (later["copied"] - earlier["copied"]) / (later["at"] - earlier["at"])
    if pace <= 0:
        return None
    return later["left"] / pace


def next_look_s(left_s, quick_looks, poll_s):
    """`(whole seconds to wait, quick looks so far)` before the next look:
    the whole seconds left when known (waiting wakes at most a second
    early), at once in the last second (up to MAX_QUICK_LOOKS times), else
    `poll_s`."""
    if left_s is None:
        return poll_s, quick_looks
    if left_s >= 1:
        return int(math.floor(left_s)), quick_looks
    if quick_looks < MAX_QUICK_LOOKS:
        return 0, quick_looks + 1
    return poll_s, quick_looks
