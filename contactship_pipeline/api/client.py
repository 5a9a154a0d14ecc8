"""The Contactship calls API as plain Python: no Dagster, no files."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from contactship_pipeline.api.contract import API_KEY_HEADER, CALLS_PATH, check_filters
from contactship_pipeline.api.errors import ContactshipConfigError, ContactshipIncompleteError
from contactship_pipeline.api.paging import Page, WindowFetch, collect, parse_page
from contactship_pipeline.api.transport import RetryPolicy, Transport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallFilters:
    """Filters and include flags sent with every page request."""

    call_status: str | None = None
    call_result: str | None = None
    agent_id: str | None = None
    campaign_id: str | None = None
    phone_number: str | None = None
    include_transcript: bool = False
    include_words: bool = False
    include_tools: bool = False
    transcript_format: str = "json"

    def check(self) -> None:
        """Raise ContactshipConfigError naming every filter the API would reject."""
        problems = check_filters(
            self.call_status,
            self.call_result,
            self.agent_id,
            self.campaign_id,
            self.phone_number,
            self.transcript_format,
        )
        if self.include_words and not self.include_transcript:
            problems.append("include_words needs include_transcript")
        if problems:
            raise ContactshipConfigError("Invalid Contactship filter: " + "; ".join(problems))

    def params(self) -> dict[str, str]:
        params = {
            "call_status": self.call_status,
            "call_result": self.call_result,
            "agent_id": self.agent_id,
            "campaign_id": self.campaign_id,
            "phoneNumber": self.phone_number,
        }
        query = {name: value for name, value in params.items() if value is not None}
        for flag in ("include_transcript", "include_words", "include_tools"):
            if getattr(self, flag):
                query[flag] = "true"
        if self.include_transcript or self.include_tools:
            query["transcript_format"] = self.transcript_format
        return query


@dataclass
class ContactshipClient:
    """Reads calls from `GET /v1/calls`, one closed window of dates at a time.

    Args:
        base_url: the API root, such as `https://api.contactship.ai`.
        api_key: sent in the `x-api-key` header and nowhere else.
        page_size: the `limit` asked for; the server may send fewer.
        filters: filters and include flags, checked before any request.
        policy: retries, timeouts and the per-request deadline.
        max_passes: how many times a window is paged before a count mismatch is an error.
        page_hook: called with each page's calls as they arrive, before paging keeps them; it
            may take large fields (transcripts) out of the records so that a window's pages
            are not all held at once. It may be called from several threads.
    """

    base_url: str
    api_key: str = field(repr=False)
    page_size: int = 100
    filters: CallFilters = field(default_factory=CallFilters)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    max_passes: int = 2
    page_hook: Callable[[list[dict[str, Any]]], None] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.api_key:
            raise ContactshipConfigError(
                "No Contactship API key: set CONTACTSHIP_API_KEY (dashboard, API settings)."
            )
        if self.page_size < 1:
            raise ContactshipConfigError(f"page_size must be at least 1, not {self.page_size}")
        self.filters.check()
        headers = {API_KEY_HEADER: self.api_key, "Accept": "application/json"}
        self._transport = Transport(self.base_url, headers, self.policy)

    def page(self, date_from: date, date_to: date, offset: int, limit: int) -> Page:
        """Fetch one page of the window in ascending creation order."""
        params = {
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "order": "asc",
            "limit": str(limit),
            "offset": str(offset),
            **self.filters.params(),
        }
        what = f"calls {date_from}..{date_to} at offset {offset}"
        response = self._transport.get_json(
            CALLS_PATH, params, what, parse=lambda body: parse_page(body, what)
        )
        response.body.attempts = response.attempts
        if self.page_hook is not None and response.body.records:
            self.page_hook(response.body.records)
        return response.body

    def count(self, date_from: date, date_to: date) -> Page:
        """Ask for the window's count alone (`limit=0`), the API's cheapest request."""
        return self.page(date_from, date_to, offset=0, limit=0)

    def fetch_window(self, date_from: date, date_to: date) -> WindowFetch:
        """Every call created from `date_from` to `date_to` (both inclusive), once each.

        Raises:
            ContactshipIncompleteError: after `max_passes` passes the calls received still
                disagree with the API's count.
            ContactshipError: any request failed for good (see `Transport.get_json`).
        """
        for attempt in range(1, self.max_passes + 1):
            fetch = self._one_pass(date_from, date_to)
            fetch.passes = attempt
            if fetch.count_missing:
                return fetch
            check = self.count(date_from, date_to)
            fetch.requests += 1
            fetch.retries += check.attempts - 1
            if check.count is None:
                fetch.count_missing = True
                return fetch
            if not fetch.count_changed and check.count == fetch.received == fetch.count:
                return fetch
            log.warning(
                "calls %s..%s: received %d calls, the pages counted %s, the API now counts %s "
                "(pass %d of %d)",
                date_from,
                date_to,
                fetch.received,
                "several totals" if fetch.count_changed else fetch.count,
                check.count,
                attempt,
                self.max_passes,
            )
        raise ContactshipIncompleteError(
            f"calls {date_from}..{date_to}: received {fetch.received} distinct calls but the API "
            f"counts {check.count}, or its count changed while paging, in each of "
            f"{self.max_passes} passes; the window kept changing, run it again later "
            "or raise max_passes"
        )

    def _one_pass(self, date_from: date, date_to: date) -> WindowFetch:
        fetch = WindowFetch()
        by_id: dict = {}
        offset = 0
        while True:
            page = self.page(date_from, date_to, offset, self.page_size)
            fetch.requests += 1
            known = len(by_id) + len(fetch.without_id)
            collect(fetch, page, by_id)
            if not page.records:
                break
            if page.count is None and len(by_id) + len(fetch.without_id) == known:
                # No count to stop at, and nothing new: the server repeats itself past the end.
                break
            offset += len(page.records)
            if page.count is not None and offset >= page.count:
                break
        fetch.records = list(by_id.values())
        return fetch
