"""Work scheduled for a simulated time, run lazily in time order.

The model holds no threads: before answering anything it runs every entry
whose time has passed, earliest first, with the model's clock set to that
entry's time, so an event is stamped when it was due, not when observed.
"""

import heapq
import itertools


class Timeline:
    def __init__(self):
        self._heap = []
        self._order = itertools.count()

    def at(self, t, action):
        heapq.heappush(self._heap, (float(t), next(self._order), action))

    def pop_due(self, now):
        """The earliest entry due at or before `now`, or None."""
        if self._heap and self._heap[0][0] <= now:
            t, _, action = heapq.heappop(self._heap)
            return t, action
        return None

    def __len__(self):
        return len(self._heap)
