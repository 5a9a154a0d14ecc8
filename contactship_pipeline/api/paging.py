"""Pages of `/v1/calls`: the envelope check, and what a window's pages add up to.

The API pages by offset and documents no largest page size, so the offset moves by the records
actually received, paging ends on `offset >= count` or an empty page, calls are deduplicated by
id, and the total is checked against a fresh `count` at the end (see `window.py`).

How a page's calls are held is up to a `PageReader`: `JsonPageReader` keeps them as the dicts
the API sent; a reader can instead turn them into columns as they arrive.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from contactship_pipeline.api.answers import decode_json
from contactship_pipeline.api.errors import ContactshipResponseError


@dataclass
class Page:
    """One page as a reader holds it, with its envelope checked.

    `records` is whatever the reader made of the page's calls; `size` is how many calls the
    page carried, which is what the offset moves by.
    """

    records: Any
    count: int | None
    size: int = -1
    attempts: int = 1

    def __post_init__(self) -> None:
        if self.size < 0:
            self.size = len(self.records)

    def call_ids(self) -> list[str]:
        """The ids of the page's calls that have one (a reader's records say, if not dicts)."""
        if isinstance(self.records, list):
            return [r["id"] for r in self.records if isinstance(r.get("id"), str) and r["id"]]
        return self.records.call_ids()


@dataclass
class WindowFetch:
    """Every call of one window, once each, and how the fetch went.

    `records` is what the reader combined the pages into: with `JsonPageReader` a list of call
    dicts (and `without_id` the dicts that had no id). `received` counts the distinct calls,
    those without an id included: the number the API's `count` must agree with.
    """

    records: Any = field(default_factory=list)
    without_id: list[dict[str, Any]] = field(default_factory=list)
    received: int = 0
    count: int | None = None
    pages: int = 0
    requests: int = 0
    retries: int = 0
    duplicates: int = 0
    passes: int = 0
    count_missing: bool = False
    # The pages disagreed on `count`: the window changed while it was paged, so the calls
    # received may be a mix of before and after, however the final count compares.
    count_changed: bool = False

    def note(self, page: Page) -> None:
        """Count one page that paging used."""
        self.pages += 1
        self.requests += 1
        self.retries += page.attempts - 1
        if page.count is None:
            self.count_missing = True
        else:
            if self.count is not None and page.count != self.count:
                self.count_changed = True
            self.count = page.count


class PageReader(Protocol):
    """Turns raw page bodies into pages, and one pass's pages into the window's calls.

    `read` runs on the fetching threads, several at once; `combine` runs once per pass.
    """

    def read(self, body: bytes, what: str) -> Page:
        """Decode and check one body; raise ContactshipResponseError to have it retried."""
        ...

    def read_many(self, bodies: Sequence[bytes], what: str) -> list[Page | None]:
        """`read` of several bodies at once; None for a body that is not a page."""
        ...

    def combine(self, pages: Sequence[Page], fetch: WindowFetch) -> None:
        """Set `fetch.records`, `received` and `duplicates` from the pages, in offset order."""
        ...


class JsonPageReader:
    """Calls as the API sent them: one dict each, the latest copy of a call seen twice kept."""

    def read(self, body: bytes, what: str) -> Page:
        return parse_page(decode_json(body, what), what)

    def read_many(self, bodies: Sequence[bytes], what: str) -> list[Page | None]:
        return [read_or_none(self, body, what) for body in bodies]

    def combine(self, pages: Sequence[Page], fetch: WindowFetch) -> None:
        by_id: dict[str, dict[str, Any]] = {}
        without_id = []
        for page in pages:
            for record in page.records:
                call_id = record.get("id")
                if not isinstance(call_id, str) or not call_id:
                    without_id.append(record)
                    continue
                if call_id in by_id:
                    fetch.duplicates += 1
                by_id[call_id] = record
        fetch.records = list(by_id.values())
        fetch.without_id = without_id
        fetch.received = len(by_id) + len(without_id)


def read_or_none(reader: PageReader, body: bytes, what: str) -> Page | None:
    """The reader's page, or None when the body is not a page (it is fetched again then)."""
    try:
        return reader.read(body, what)
    except ContactshipResponseError:
        return None


def parse_page(body: Any, what: str) -> Page:
    """Check a decoded body against the documented envelope `{"data": [...], "count": N}`.

    Raises:
        ContactshipResponseError: the body is an error object, `data` is not a list of objects,
            `data` is null while `count` says there are calls, or `count` is not an integer.
    """
    if not isinstance(body, dict) or "data" not in body:
        detail = _error_text(body)
        raise ContactshipResponseError(f"{what}: the answer has no 'data' list{detail}")
    count = _parse_count(body.get("count"), what) if "count" in body else None
    records = body["data"]
    if records is None:
        if count:
            raise ContactshipResponseError(f"{what}: 'data' is null but 'count' is {count}")
        records = []
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ContactshipResponseError(f"{what}: 'data' is not a list of call objects")
    return Page(records, count)


def _parse_count(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise ContactshipResponseError(f"{what}: field 'count' is a boolean, not an integer")
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise ContactshipResponseError(f"{what}: field 'count' is not a non-negative integer")


def _error_text(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("message", "error", "detail"):
            if key in body:
                return f"; the server said: {str(body[key])[:300]}"
    return ""
