"""Work queues, one per maintenance session, each drained by its own thread.

Notifications of one session must be handled in the order they came (a
SCALE_IN before the PREPARE_MAINTENANCE that follows it), while two sessions
never wait for each other.
"""

import logging
import queue
import threading

LOG = logging.getLogger(__name__)
_STOP = object()


class SessionDispatcher:
    """`submit(session_id, job)` runs `job()` after the earlier jobs of that session."""

    def __init__(self):
        self._queues = {}
        self._threads = []
        self._lock = threading.Lock()
        self._stopped = False

    def submit(self, session_id, job):
        with self._lock:
            if self._stopped:
                raise RuntimeError("the dispatcher is stopped; job for session %s dropped" % session_id)
            work = self._queues.get(session_id)
            if work is None:
                work = self._queues[session_id] = queue.Queue()
                thread = threading.Thread(target=self._drain, args=(session_id, work),
                                          name="vnfm-session-%s" % session_id, daemon=True)
                self._threads.append(thread)
                thread.start()
            work.put(job)

    def _drain(self, session_id, work):
        while True:
            job = work.get()
            try:
                if job is _STOP:
                    return
                job()
            except Exception:
                LOG.exception("handling a notification of session %s failed", session_id)
            finally:
                work.task_done()

    def wait_idle(self, timeout=None):
        """Block until every queued job has run (True) or `timeout` passes (False)."""
        with self._lock:
            queues = list(self._queues.values())
        done = threading.Event()

        def join_all():
            for work in queues:
                work.join()
            done.set()

        threading.Thread(target=join_all, daemon=True).start()
        return done.wait(timeout)

    def stop(self, timeout=10.0):
        with self._lock:
            self._stopped = True
            queues = list(self._queues.values())
            threads = list(self._threads)
        for work in queues:
            work.put(_STOP)
        for thread in threads:
            thread.join(timeout)
