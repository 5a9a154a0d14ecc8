"""The API side of reconciliation: `limit=0` counts of a span of dates, within a budget."""

from dataclasses import dataclass, replace
from datetime import date

from contactship_pipeline.api.contract import NON_TERMINAL_STATUSES
from contactship_pipeline.resources import ContactshipResource
from contactship_pipeline.sensors.stored import StoredCalls


@dataclass(frozen=True)
class ApiAnswer:
    """What the API counted for a span (`calls`, then statuses as asked) and if it agrees."""

    said: dict[str, int]
    same: bool


class ApiCounter:
    """Asks `GET /v1/calls?limit=0` for counts, and keeps the tally of requests sent.

    A count per non-terminal status uses the API's `call_status` filter. When the resource
    already filters by one status, the stored calls all have it and the plain count covers it.
    """

    def __init__(self, contactship: ContactshipResource, limit: int):
        base = contactship.client()
        self._clients = {None: base}
        if contactship.call_status is None:
            for status in NON_TERMINAL_STATUSES:
                filters = replace(base.filters, call_status=status)
                self._clients[status] = replace(base, filters=filters)
        self.limit = limit
        self.requests = 0
        self.attempts = 0

    @property
    def remaining(self) -> int:
        return self.limit - self.requests

    def cost(self, stored: StoredCalls) -> int:
        """The most requests `compare` can send for a span with these stored calls."""
        return 1 + len(self._statuses(stored))

    def compare(self, date_from: date, date_to: date, stored: StoredCalls) -> ApiAnswer | None:
        """Ask the API for the span's counts, stopping at the first that differs from `stored`.

        Returns None when the API sent no count, so nothing can be compared.

        Raises:
            ContactshipError: a count request failed after its retries.
        """
        said: dict[str, int] = {}
        expected = {"calls": stored.calls}
        expected.update((status, stored.running[status]) for status in self._statuses(stored))
        for name, rows in expected.items():
            count = self._count(date_from, date_to, None if name == "calls" else name)
            if count is None:
                return None
            said[name] = count
            if count != rows:
                return ApiAnswer(said, same=False)
        return ApiAnswer(said, same=True)

    def _statuses(self, stored: StoredCalls) -> list[str]:
        # A status with no stored row gains calls only as new calls, which the total shows, or
        # from another running status, whose own count then drops.
        return [s for s, rows in stored.running.items() if rows and s in self._clients]

    def _count(self, date_from: date, date_to: date, status: str | None) -> int | None:
        page = self._clients[status].count(date_from, date_to)
        self.requests += 1
        self.attempts += page.attempts
        return page.count
