"""Paging through `/v1/calls` for one closed window, safely.

The API pages by offset and documents no largest page size, so the offset moves by the records
actually received, paging ends on `offset >= count` or an empty page, calls are deduplicated by
id, and the total is checked against a fresh `count` at the end.
"""

from dataclasses import dataclass, field
from typing import Any

from contactship_pipeline.api.errors import ContactshipResponseError


@dataclass
class Page:
    """One page of calls as the API sent it, with its envelope checked."""

    records: list[dict[str, Any]]
    count: int | None
    attempts: int = 1


@dataclass
class WindowFetch:
    """Every call of one window, once each, and how the fetch went."""

    records: list[dict[str, Any]] = field(default_factory=list)
    without_id: list[dict[str, Any]] = field(default_factory=list)
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

    @property
    def received(self) -> int:
        return len(self.records) + len(self.without_id)


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


def collect(fetch: WindowFetch, page: Page, by_id: dict[str, dict[str, Any]]) -> None:
    """Add a page's calls to the fetch, keeping the latest copy of a call seen twice."""
    fetch.pages += 1
    fetch.retries += page.attempts - 1
    if page.count is None:
        fetch.count_missing = True
    else:
        if fetch.count is not None and page.count != fetch.count:
            fetch.count_changed = True
        fetch.count = page.count
    for record in page.records:
        call_id = record.get("id")
        if not isinstance(call_id, str) or not call_id:
            fetch.without_id.append(record)
        elif call_id in by_id:
            fetch.duplicates += 1
            by_id[call_id] = record
        else:
            by_id[call_id] = record
