"""Pages of calls read straight into Arrow columns of the calls table, one page at a time.

Most pages fit the schema exactly, and those are parsed from their raw bytes by Arrow's JSON
reader against the shape the API documents: no Python object is made per call, and the parser
runs outside the GIL, so it overlaps with the other pages still arriving. A page that does not
fit exactly (a value of another type, a field the schema does not know, transcripts included,
a timestamp Arrow cannot read, an envelope other than `{"data": [...], "count": N}`) is decoded
again the careful way (`flatten.py`), which repairs what it safely can and reports the rest.
Either way a page becomes the same record batch.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from contactship_pipeline.api import Page, WindowFetch
from contactship_pipeline.api.answers import decode_json
from contactship_pipeline.api.paging import parse_page
from contactship_pipeline.flatten import (
    LOOSE_CALLS_SCHEMA,
    FlattenReport,
    flatten_records,
    set_aside_unplaced,
)
from contactship_pipeline.schema import CALL_COLUMNS, TIMESTAMP

NO_ID = "the record has no id"


def _call_type() -> pa.StructType:
    """A call as the API documents it: timestamps as text (cast later), objects as structs."""
    top: dict[str, pa.DataType | dict[str, pa.DataType]] = {}
    for _, path, dtype in CALL_COLUMNS:
        text_or_int = pa.string() if dtype == TIMESTAMP else dtype
        if len(path) == 1:
            top[path[0]] = text_or_int
        else:
            top.setdefault(path[0], {})[path[1]] = text_or_int
    return pa.struct(
        [(k, pa.struct(list(v.items())) if isinstance(v, dict) else v) for k, v in top.items()]
    )


_CALL = _call_type()
_PARSE = pj.ParseOptions(
    explicit_schema=pa.schema([("data", pa.list_(_CALL)), ("count", pa.int64())]),
    unexpected_field_behavior="error",
)


@dataclass
class PageCalls:
    """One page's calls in `LOOSE_CALLS_SCHEMA`, what reading them repaired, and how many
    came without an id (left out of `batch`)."""

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
        fast = _read_fast(body)
        if fast is not None:
            batch, count = fast
            return Page(PageCalls(batch, FlattenReport()), count, size=batch.num_rows)
        page = parse_page(decode_json(body, what), what)
        with_id = [r for r in page.records if isinstance(r.get("id"), str) and r["id"]]
        report = FlattenReport()
        batch = flatten_records(with_id, report)
        calls = PageCalls(batch, report, len(page.records) - len(with_id))
        return Page(calls, page.count, size=len(page.records))

    def combine(self, pages: Sequence[Page], fetch: WindowFetch) -> None:
        report = FlattenReport()
        without_id = 0
        for page in pages:
            report.add(page.records.report)
            without_id += page.records.without_id
        table = pa.Table.from_batches([p.records.batch for p in pages], LOOSE_CALLS_SCHEMA)
        ids = table["id"]
        has_id = pc.fill_null(pc.not_equal(ids, ""), False)
        if ids.null_count or not pc.all(has_id).as_py():
            without_id += len(table) - (pc.sum(has_id).as_py() or 0)
            table = table.filter(has_id)
        table, fetch.duplicates = _latest_copies(table)
        fetch.received = len(table) + without_id
        report.rejected[:0] = [(None, NO_ID)] * without_id
        fetch.records = FlatCalls(set_aside_unplaced(table, report), report)


def _read_fast(body: bytes) -> tuple[pa.RecordBatch, int] | None:
    """The page as a record batch and its count, or None when the page needs the careful way."""
    options = pj.ReadOptions(use_threads=False, block_size=max(len(body) + 1, 1 << 16))
    try:
        envelope = pj.read_json(pa.BufferReader(body), options, _PARSE)
        if envelope.num_rows != 1 or envelope["count"].null_count or envelope["data"].null_count:
            return None
        calls = envelope["data"].combine_chunks().flatten()
        if calls.null_count:
            return None
        return _columns(calls), envelope["count"][0].as_py()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def _columns(calls: pa.StructArray) -> pa.RecordBatch:
    """The calls' fields in the calls table's columns; a null object gives null columns."""
    fields = dict(zip([f.name for f in _CALL], calls.flatten(), strict=True))
    nested = {
        name: fields[name].flatten() for name in fields if pa.types.is_struct(_CALL[name].type)
    }
    arrays = []
    for _, path, dtype in CALL_COLUMNS:
        if len(path) == 1:
            array = fields[path[0]]
        else:
            array = nested[path[0]][_CALL[path[0]].type.get_field_index(path[1])]
        arrays.append(array.cast(TIMESTAMP) if dtype == TIMESTAMP else array)
    arrays.append(pa.nulls(len(calls), pa.string()))
    return pa.RecordBatch.from_arrays(arrays, schema=LOOSE_CALLS_SCHEMA)


def _latest_copies(table: pa.Table) -> tuple[pa.Table, int]:
    """One row per id, the last one paged (the latest copy); and how many were dropped."""
    distinct = pc.count_distinct(table["id"]).as_py()
    if distinct == len(table):
        return table, 0
    rows = pa.table({"id": table["id"], "row": pa.array(range(len(table)), pa.int64())})
    last = rows.group_by("id", use_threads=False).aggregate([("row", "max")])["row_max"]
    return table.take(pc.take(last, pc.sort_indices(last))), len(table) - distinct
