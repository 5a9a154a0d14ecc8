"""One reconciliation tick: recent stored days against the API's counts, within a budget."""

import time

from contactship_pipeline.api import ContactshipError
from contactship_pipeline.io_manager import ParquetUPathIOManager
from contactship_pipeline.sensors.api_counts import ApiAnswer, ApiCounter
from contactship_pipeline.sensors.cursor import HealingCursor
from contactship_pipeline.sensors.spans import span_for
from contactship_pipeline.sensors.stored import StoredCalls, stored_calls


class Reconciliation:
    """Compares recent days with the API and picks those to load again.

    Args:
        cursor: the sensor's memory; `checked` and `requested` are updated in place.
        counter: the API counter, holding this tick's request budget.
        io_manager: where the calls files are.
        partitions_def: the daily partitions.
        complete: every complete partition key, oldest first.
        stored: the partition keys whose calls are materialized and on disk.
        log: the tick's logger.
        analysis_recheck_s: how long a day with answered calls awaiting analysis waits
            between reloads.
    """

    def __init__(
        self,
        cursor: HealingCursor,
        counter: ApiCounter,
        io_manager: ParquetUPathIOManager,
        partitions_def,
        complete: list[str],
        stored: set[str],
        log,
        analysis_recheck_s: float,
    ):
        self.cursor = cursor
        self.counter = counter
        self.io_manager = io_manager
        self.partitions_def = partitions_def
        self.complete = complete
        self.stored = stored
        self.log = log
        self.analysis_recheck_s = analysis_recheck_s
        self.compared: list[str] = []
        self.waiting: list[str] = []

    def run(self, recent: list[str]) -> list[str]:
        """Compare `recent` days, least recently compared first (newest first among equals),
        while the budget lasts; return the days to backfill."""
        order = sorted(
            recent, key=lambda day: (self.cursor.checked.get(day, 0.0), -recent.index(day))
        )
        backfill: set[str] = set()
        for day in order:
            span = span_for(self.partitions_def, self.complete, day)
            if span is None or not set(span.days) <= self.stored:
                self.waiting.append(day)
                continue
            stored = stored_calls(self.io_manager, span.days, span.start, span.end)
            if self.counter.cost(stored) > self.counter.remaining:
                self.log.info(f"request limit reached: {day} waits for a later tick")
                break
            try:
                answer = self.counter.compare(span.date_from, span.date_to, stored)
            except ContactshipError as error:
                self.log.warning(f"{day}: no answer from the API, stopping this tick: {error}")
                break
            self.cursor.checked[day] = time.time()
            self.compared.append(day)
            if self._changed(day, stored, answer):
                backfill.update(span.days)
        return sorted(backfill)

    def _changed(self, day: str, stored: StoredCalls, answer: ApiAnswer | None) -> bool:
        if answer is None:
            self.log.warning(f"{day}: the API sent no count, so the day cannot be compared")
            return False
        if answer.same:
            self.cursor.requested.pop(day, None)
            return self._analysis_due(day, stored)
        said = ", ".join(f"{name} {count}" for name, count in answer.said.items())
        running = ", ".join(f"{status} {rows}" for status, rows in stored.running.items())
        told = f"API: {said}; stored: calls {stored.calls}, {running}"
        if self.cursor.requested.get(day) == answer.said:
            self.log.warning(
                f"{day}: still differs after a backfill for these same API counts ({told}); "
                "not asked again until the API's counts change"
            )
            return False
        self.log.info(f"{day}: changed at the API ({told})")
        self.cursor.requested[day] = answer.said
        return True

    def _analysis_due(self, day: str, stored: StoredCalls) -> bool:
        """Analysis that arrives late changes no count, so a day with answered calls still
        lacking it is loaded again each `analysis_recheck_s`, for as long as it is recent."""
        if not stored.awaiting_analysis:
            self.cursor.analysis.pop(day, None)
            return False
        now = time.time()
        since = self.cursor.analysis.setdefault(day, now)
        if now - since < self.analysis_recheck_s:
            return False
        self.cursor.analysis[day] = now
        self.log.info(
            f"{day}: {stored.awaiting_analysis} answered calls had no analysis "
            f"{round(now - since)} s ago; loading the day again"
        )
        return True
