"""Pages of calls read straight into the calls table's Arrow columns, one run at a time.

Most pages fit the schema exactly: those are parsed from their raw bytes by Arrow's JSON reader
(`arrow_parse.py`), no Python object made per call and the parser outside the GIL, so it runs
beside the other pages still arriving. A page that does not fit exactly (a value of another
type, a field the schema does not know, transcripts included, a timestamp Arrow cannot read, an
envelope other than `{"data": [...], "count": N}`) is decoded again the careful way
(`flatten.py`), which repairs what it safely can and reports the rest. Either way a page's calls
end up as rows of the same schema, and the pass's pages are combined, deduplicated and checked
once.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from contactship_pipeline.api import Page, WindowFetch
from contactship_pipeline.api.answers import decode_json
from contactship_pipeline.api.paging import parse_page, read_or_none
from contactship_pipeline.arrow_parse import ParsedCalls, parse_run
from contactship_pipeline.flatten import (
    LOOSE_CALLS_SCHEMA,
    FlattenReport,
    flatten_records,
    set_aside_unplaced,
)

NO_ID = "the record has no id"


@dataclass
class RepairedCalls:
    """One page's calls read the careful way, in `LOOSE_CALLS_SCHEMA`; the calls without an
    id are counted and left out."""

    batch: pa.RecordBatch
    report: FlattenReport
    without_id: int = 0


@dataclass
class FlatCalls:
    """A window's calls in `CALLS_SCHEMA`, once each, and what it took to read them."""

    table: pa.Table
    report: FlattenReport


class ArrowCallsReader:
    """A `PageReader` whose window comes back as `FlatCalls`: an Arrow table, never dicts."""

    def read(self, body: bytes, what: str) -> Page:
        (parsed,) = parse_run([body])
        if parsed is not None:
            return Page(parsed, parsed.count, size=parsed.size)
        page = parse_page(decode_json(body, what), what)
        return Page(_repaired(page.records), page.count, size=len(page.records))

    def read_many(self, bodies: Sequence[bytes], what: str) -> list[Page | None]:
        """Parse a run of bodies together; bodies that do not fit are read one by one."""
        return [
            Page(parsed, parsed.count, size=parsed.size)
            if parsed is not None
            else read_or_none(self, body, what)
            for body, parsed in zip(bodies, parse_run(bodies), strict=True)
        ]

    def combine(self, pages: Sequence[Page], fetch: WindowFetch) -> None:
        report = FlattenReport()
        without_id = 0
        for page in pages:
            if isinstance(page.records, RepairedCalls):
                report.add(page.records.report)
                without_id += page.records.without_id
        batches = _batches([page.records for page in pages])
        table = pa.Table.from_batches(batches, LOOSE_CALLS_SCHEMA)
        ids = table["id"]
        has_id = pc.fill_null(pc.not_equal(ids, ""), False)
        if ids.null_count or not pc.all(has_id).as_py():
            without_id += len(table) - (pc.sum(has_id).as_py() or 0)
            table = table.filter(has_id)
        table, fetch.duplicates = _latest_copies(table)
        fetch.received = len(table) + without_id
        report.rejected[:0] = [(None, NO_ID)] * without_id
        fetch.records = FlatCalls(set_aside_unplaced(table, report), report)


def _repaired(records: list[dict]) -> RepairedCalls:
    with_id = [r for r in records if isinstance(r.get("id"), str) and r["id"]]
    report = FlattenReport()
    batch = flatten_records(with_id, report)
    return RepairedCalls(batch, report, len(records) - len(with_id))


def _batches(calls: list) -> list[pa.RecordBatch]:
    """Each page's rows in offset order; pages next to each other in one parsed run are one
    slice of it, so the table has a chunk per run rather than per page."""
    batches: list[pa.RecordBatch] = []
    run, start, stop = None, 0, 0
    for page in calls:
        if isinstance(page, ParsedCalls) and page.run is run and page.start == stop:
            stop += page.size
            continue
        if run is not None:
            batches.append(run.slice(start, stop - start))
            run = None
        if isinstance(page, ParsedCalls):
            run, start, stop = page.run, page.start, page.start + page.size
        else:
            batches.append(page.batch)
    if run is not None:
        batches.append(run.slice(start, stop - start))
    return batches


def _latest_copies(table: pa.Table) -> tuple[pa.Table, int]:
    """One row per id, the last one paged (the latest copy); and how many were dropped."""
    distinct = pc.count_distinct(table["id"]).as_py()
    if distinct == len(table):
        return table, 0
    rows = pa.table({"id": table["id"], "row": pa.array(range(len(table)), pa.int64())})
    last = rows.group_by("id", use_threads=False).aggregate([("row", "max")])["row_max"]
    return table.take(pc.take(last, pc.sort_indices(last))), len(table) - distinct
