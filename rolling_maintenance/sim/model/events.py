"""The append-only event log: what happened in the cloud, in order.

Tests and the demo judge a maintenance from it (a host was disabled before
its instances moved...), so every entry has a sequence number and the
simulated time at which it happened. Its types are the audit's vocabulary
(`rolling_maintenance.audit.events`), the one list both sides read.
"""

from rolling_maintenance.audit.events import ALL


class EventLog:
    def __init__(self):
        self._events = []

    def append(self, t, type_, **fields):
        if type_ not in ALL:
            raise ValueError("%r is not an event type of the log (audit.events)" % (type_,))
        clash = {"seq", "t", "type"} & set(fields)
        if clash:
            raise ValueError("event fields may not override %s" % ", ".join(sorted(clash)))
        event = {"seq": len(self._events) + 1, "t": round(float(t), 6), "type": type_}
        event.update(fields)
        self._events.append(event)
        return event

    def since(self, seq=0):
        """Events with a sequence number above `seq`, as copies."""
        return [dict(e) for e in self._events[max(0, int(seq)):]]

    def __len__(self):
        return len(self._events)
