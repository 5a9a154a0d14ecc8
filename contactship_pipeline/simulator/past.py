"""Changes to days already over: calls that finish after midnight, calls that show up late."""

import threading
from collections import Counter
from datetime import date

from contactship_pipeline.simulator.data import CallGenerator
from contactship_pipeline.simulator.outcomes import NON_TERMINAL_STATUSES
from contactship_pipeline.simulator.store import CallStore


class PastChanges:
    """Rewrites a past day in the store the way the real API's data changes after the fact."""

    def __init__(self, generator: CallGenerator, store: CallStore):
        self._generator = generator
        self._store = store
        self._late_calls: Counter = Counter()
        self._lock = threading.Lock()

    def complete_in_progress(self, day: date) -> list[str]:
        """Finish every call of `day` still in progress, queued or scheduled.

        They become `completed`, with `finished_at`, `duration` and `call_analysis`.
        Returns the ids that changed.
        """
        with self._lock:
            running = [
                call
                for call in self._store.calls_for_day(day)
                if call.get("call_status") in NON_TERMINAL_STATUSES
            ]
            self._store.upsert([self._generator.completed(call) for call in running])
            return [call["id"] for call in running]

    def add_late_call(self, day: date) -> str:
        """Add one completed call created on `day` that was not there before; return its id."""
        with self._lock:
            call = self._generator.late_call(day, self._late_calls[day])
            self._late_calls[day] += 1
            self._store.upsert([call])
            return call["id"]
