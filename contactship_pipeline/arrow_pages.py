"""Pages of calls read straight into the calls table's Arrow columns, one run at a time.

Most pages fit the schema exactly: those are parsed from their raw bytes by Arrow's JSON reader
(`arrow_parse.py`), no Python object made per call and the parser outside the GIL, so it runs
beside the other pages still arriving. A page that does not fit exactly (a value of another
type, a field the schema does not know, transcripts included, a timestamp Arrow cannot read, an
envelope other than `{"data": [...], "count": N}`) is kept as the dicts the API sent and read the
careful way (`flatten_calls`), which repairs what it safely can and reports the rest. The pass's
pages are deduplicated together, the latest copy of a call kept, and placed in the partition's
window by the same rules either way.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from contactship_pipeline.api import Page, WindowFetch
from contactship_pipeline.api.answers import decode_json
from contactship_pipeline.api.paging import parse_page, read_or_none
from contactship_pipeline.arrow_parse import ParsedCalls, parse_run
from contactship_pipeline.flatten import (
    LOOSE_CALLS_SCHEMA,
    FlattenReport,
    flatten_calls,
    place_rows,
)

PageHook = Callable[[list[dict[str, Any]]], None]


@dataclass
class CarefulCalls:
    """One page's calls as the API sent them, for the careful way."""

    records: list[dict[str, Any]]

    def call_ids(self) -> list[str]:
        return [r["id"] for r in self.records if isinstance(r.get("id"), str) and r["id"]]


@dataclass
class FlatCalls:
    """A window's calls in `CALLS_SCHEMA`, once each, and what it took to read them."""

    table: pa.Table
    report: FlattenReport


class ArrowCallsReader:
    """A `PageReader` whose window comes back as `FlatCalls`: an Arrow table, never dicts.

    Args:
        window: UTC `[start, end)` of the partition; calls created outside it are left out (see
            `flatten_calls`). None keeps the whole API window.
        page_hook: sees the dicts of each page read the careful way, before they are kept.
        fast: try Arrow's reader first; off when every page carries transcripts.
    """

    def __init__(
        self,
        window: tuple[datetime, datetime] | None = None,
        page_hook: PageHook | None = None,
        fast: bool = True,
    ):
        self.window = window
        self.page_hook = page_hook
        self.fast = fast

    def read(self, body: bytes, what: str) -> Page:
        if self.fast:
            (parsed,) = parse_run([body])
            if parsed is not None:
                return Page(parsed, parsed.count, size=parsed.size)
        page = parse_page(decode_json(body, what), what)
        if self.page_hook is not None and page.records:
            self.page_hook(page.records)
        return Page(CarefulCalls(page.records), page.count, size=len(page.records))

    def read_many(self, bodies: Sequence[bytes], what: str) -> list[Page | None]:
        """Parse a run of bodies together; bodies that do not fit are read one by one."""
        parsed_run = parse_run(bodies) if self.fast else [None] * len(bodies)
        return [
            Page(parsed, parsed.count, size=parsed.size)
            if parsed is not None
            else read_or_none(self, body, what)
            for body, parsed in zip(bodies, parsed_run, strict=True)
        ]

    def combine(self, pages: Sequence[Page], fetch: WindowFetch) -> None:
        parsed = [page.records for page in pages if isinstance(page.records, ParsedCalls)]
        fast = pa.Table.from_batches(_batches(parsed), LOOSE_CALLS_SCHEMA)
        careful = [
            r
            for page in pages
            if isinstance(page.records, CarefulCalls)
            for r in page.records.records
        ]
        keep_fast, keep_careful = _latest_copies(pages, fast, careful, fetch)
        report = FlattenReport()
        table = place_rows(
            fast if keep_fast is None else fast.filter(keep_fast), report, self.window
        )
        if careful:
            kept = [record for record, keep in zip(careful, keep_careful, strict=True) if keep]
            carefully, careful_report = flatten_calls(kept, self.window)
            report.add(careful_report)
            table = pa.concat_tables([table, carefully])
        fetch.records = FlatCalls(table, report)


def _batches(parsed: list[ParsedCalls]) -> list[pa.RecordBatch]:
    """The pages' rows in offset order; pages next to each other in one parsed run become one
    slice of it, so the table has a chunk per run rather than per page."""
    batches: list[pa.RecordBatch] = []
    run, start, stop = None, 0, 0
    for page in parsed:
        if page.run is run and page.start == stop:
            stop += page.size
            continue
        if run is not None:
            batches.append(run.slice(start, stop - start))
        run, start, stop = page.run, page.start, page.start + page.size
    if run is not None:
        batches.append(run.slice(start, stop - start))
    return batches


def _latest_copies(pages: Sequence[Page], fast: pa.Table, careful: list[dict], fetch):
    """Which rows to keep so that each call is kept once, its last copy in offset order (None:
    keep every fast row); calls without an id are all kept. Sets `received` and `duplicates`.
    """
    if not careful:
        ids = pa.chunked_array(fast["id"].chunks, pa.string())
        seq = None
    else:
        careful_ids = [r.get("id") if isinstance(r.get("id"), str) else None for r in careful]
        ids = pa.chunked_array([*fast["id"].chunks, pa.array(careful_ids, pa.string())])
        seq = pa.chunked_array(_sequence(pages), pa.int64())
    named = pc.fill_null(pc.not_equal(ids, ""), False)
    with_id = pc.sum(named).as_py() or 0
    distinct = pc.count_distinct(ids.filter(named)).as_py() if with_id else 0
    fetch.received = distinct + len(ids) - with_id
    fetch.duplicates = with_id - distinct
    if not fetch.duplicates and seq is None:
        return None, []
    if seq is None:
        seq = pa.array(range(len(ids)), pa.int64())
    rows = pa.table({"id": ids, "seq": seq}).filter(named)
    last = rows.group_by("id", use_threads=False).aggregate([("seq", "max")])["seq_max"]
    keep = pc.or_(pc.invert(named), pc.is_in(seq, value_set=last.combine_chunks()))
    keep = keep.combine_chunks() if isinstance(keep, pa.ChunkedArray) else keep
    return keep.slice(0, len(fast)), keep.slice(len(fast)).to_pylist()


def _sequence(pages: Sequence[Page]) -> list[pa.Array]:
    """Each row's place in offset order: the fast pages' rows first, then the careful ones',
    as the ids are laid out."""
    fast, careful, position = [], [], 0
    for page in pages:
        numbers = pa.array(range(position, position + page.size), pa.int64())
        (careful if isinstance(page.records, CarefulCalls) else fast).append(numbers)
        position += page.size
    return fast + careful
