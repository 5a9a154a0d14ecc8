"""The Contactship calls API as plain Python: no Dagster, no files."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from contactship_pipeline.api.contract import API_KEY_HEADER, CALLS_PATH
from contactship_pipeline.api.errors import ContactshipConfigError, ContactshipIncompleteError
from contactship_pipeline.api.filters import CallFilters
from contactship_pipeline.api.paging import JsonPageReader, Page, PageReader, WindowFetch
from contactship_pipeline.api.transport import RetryPolicy, Transport
from contactship_pipeline.api.window import read_pass

log = logging.getLogger(__name__)


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
        max_concurrency: pages fetched at once once the first page has given the count.
        page_hook: called with each page's calls (as the API sent them) as they arrive, before
            paging keeps them; it may take large fields (transcripts) out of the records so
            that a window's pages are not all held at once. It is called from several threads
            at once when pages are fetched concurrently; a reader that holds no dicts
            (`ArrowCallsReader`) takes its own hook.
    """

    base_url: str
    api_key: str = field(repr=False)
    page_size: int = 100
    filters: CallFilters = field(default_factory=CallFilters)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    max_passes: int = 2
    max_concurrency: int = 4
    page_hook: Callable[[list[dict[str, Any]]], None] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.api_key:
            raise ContactshipConfigError(
                "No Contactship API key: set CONTACTSHIP_API_KEY (dashboard, API settings)."
            )
        if self.page_size < 1:
            raise ContactshipConfigError(f"page_size must be at least 1, not {self.page_size}")
        if self.max_concurrency < 1:
            raise ContactshipConfigError(
                f"max_concurrency must be at least 1, not {self.max_concurrency}"
            )
        self.filters.check()
        headers = {API_KEY_HEADER: self.api_key, "Accept": "application/json"}
        pool_size = max(self.max_concurrency, 2)
        self._transport = Transport(self.base_url, headers, self.policy, pool_size)

    def page(
        self,
        date_from: date,
        date_to: date,
        offset: int,
        limit: int,
        reader: PageReader | None = None,
    ) -> Page:
        """Fetch one page of the window in ascending creation order, read by `reader`."""
        what = _what(date_from, date_to, offset)
        read = (reader or _JSON).read
        params = self._params(date_from, date_to, offset, limit)
        response = self._transport.get(CALLS_PATH, params, what, lambda body: read(body, what))
        response.body.attempts = response.attempts
        self._hand_over(response.body)
        return response.body

    def _run(
        self, date_from: date, date_to: date, offsets: list[int], limit: int, reader: PageReader
    ) -> list[Page]:
        """Pages at consecutive offsets, fetched one after another and read together.

        A body that turns out not to be a page is fetched again on its own, with its retries.
        """
        answers = [
            self._transport.get(
                CALLS_PATH,
                self._params(date_from, date_to, offset, limit),
                _what(date_from, date_to, offset),
                _as_is,
            )
            for offset in offsets
        ]
        pages = reader.read_many([answer.body for answer in answers], _what(date_from, date_to))
        for index, (offset, answer) in enumerate(zip(offsets, answers, strict=True)):
            read = pages[index]
            if read is None:
                page = self.page(date_from, date_to, offset, limit, reader)
                page.attempts += answer.attempts
            else:
                page = read
                page.attempts = answer.attempts
                self._hand_over(page)
            pages[index] = page
        return pages

    def _hand_over(self, page: Page) -> None:
        if self.page_hook is not None and isinstance(page.records, list) and page.records:
            self.page_hook(page.records)

    def _params(self, date_from: date, date_to: date, offset: int, limit: int) -> dict[str, str]:
        return {
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "order": "asc",
            "limit": str(limit),
            "offset": str(offset),
            **self.filters.params(),
        }

    def count(self, date_from: date, date_to: date) -> Page:
        """Ask for the window's count alone (`limit=0`), the API's cheapest request."""
        return self.page(date_from, date_to, offset=0, limit=0)

    def fetch_window(
        self, date_from: date, date_to: date, reader: PageReader | None = None
    ) -> WindowFetch:
        """Every call created from `date_from` to `date_to` (both inclusive), once each.

        Args:
            date_from: first creation date asked for.
            date_to: last creation date asked for.
            reader: how pages are decoded and combined; by default the calls come back as
                the dicts the API sent (`JsonPageReader`).

        Raises:
            ContactshipIncompleteError: after `max_passes` passes the calls received still
                disagree with the API's count.
            ContactshipError: any request failed for good (see `Transport.get`).
        """
        for attempt in range(1, self.max_passes + 1):
            fetch = self._one_pass(date_from, date_to, reader or _JSON)
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
            f"{self.max_passes} passes ({fetch.duplicates} calls came twice in the last); "
            "either the window kept changing while it was paged (run it again later or raise "
            "max_passes) or the server's pages overlap and skip calls (try max_concurrency=1 "
            "and a smaller page_size)"
        )

    def _one_pass(self, date_from: date, date_to: date, reader: PageReader) -> WindowFetch:
        def get_page(offset: int, limit: int) -> Page:
            return self.page(date_from, date_to, offset, limit, reader)

        def get_run(offsets: list[int], limit: int) -> list[Page]:
            return self._run(date_from, date_to, offsets, limit, reader)

        pages, fetch = read_pass(get_page, get_run, self.page_size, self.max_concurrency)
        reader.combine(pages, fetch)
        return fetch


def _as_is(body: bytes) -> bytes:
    """No reading yet: the run's bodies are read together once all have arrived."""
    return body


def _what(date_from: date, date_to: date, offset: int | None = None) -> str:
    """How a request is named in errors: the window, and the offset when there is one."""
    where = "" if offset is None else f" at offset {offset}"
    return f"calls {date_from}..{date_to}{where}"


_JSON = JsonPageReader()
