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
from contactship_pipeline.api.paging import parse_page, read_or_none
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
class ParsedCalls:
    """One page's calls as Arrow's JSON reader parsed them: the API's own shape, checked."""

    calls: pa.StructArray


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
    """A `PageReader` whose window comes back as `FlatCalls`: an Arrow table, never dicts.

    `read` only parses and checks a page (on the fetching threads, outside the GIL);
    `combine` builds the columns of all the pages at once.
    """

    def read(self, body: bytes, what: str) -> Page:
        calls, count = _parse(body)
        if calls is not None:
            return Page(ParsedCalls(calls), count, size=len(calls))
        page = parse_page(decode_json(body, what), what)
        return Page(_repaired(page.records), page.count, size=len(page.records))

    def read_many(self, bodies: Sequence[bytes], what: str) -> list[Page | None]:
        """Parse several single-line bodies as one input (Arrow's per-call setup is then paid
        once); bodies that do not fit are read one by one."""
        parsed = _parse_together(bodies)
        return [
            Page(ParsedCalls(found[0]), found[1], size=len(found[0]))
            if found
            else read_or_none(self, body, what)
            for body, found in zip(bodies, parsed, strict=True)
        ]

    def combine(self, pages: Sequence[Page], fetch: WindowFetch) -> None:
        report = FlattenReport()
        pieces, without_id = [], 0
        for run in _runs(pages):
            if isinstance(run[0], ParsedCalls):
                pieces.extend(_flat_runs(run, report))
                continue
            for repaired in run:
                report.add(repaired.report)
                without_id += repaired.without_id
                pieces.append(pa.Table.from_batches([repaired.batch]))
        table = pa.concat_tables(pieces) if pieces else LOOSE_CALLS_SCHEMA.empty_table()
        ids = table["id"]
        has_id = pc.fill_null(pc.not_equal(ids, ""), False)
        if ids.null_count or not pc.all(has_id).as_py():
            without_id += len(table) - (pc.sum(has_id).as_py() or 0)
            table = table.filter(has_id)
        table, fetch.duplicates = _latest_copies(table)
        fetch.received = len(table) + without_id
        report.rejected[:0] = [(None, NO_ID)] * without_id
        fetch.records = FlatCalls(set_aside_unplaced(table, report), report)


def _parse(body: bytes) -> tuple[pa.StructArray | None, int | None]:
    """The page's calls and count as parsed, or None when the page needs the careful way."""
    (found,) = _parse_together([body])
    return found or (None, None)


def _parse_together(bodies: Sequence[bytes]) -> list[tuple[pa.StructArray, int] | None]:
    """Each body's calls and count, parsed in one go; None for a body that needs more care.

    Each body must be one line, so that the bodies joined by newlines are one JSON value per
    line; a page with a value of another type or an unknown field fails the whole parse.
    """
    if len(bodies) > 1 and any(b"\n" in body for body in bodies):
        return [found for body in bodies for found in _parse_together([body])]
    text = b"\n".join(bodies)
    options = pj.ReadOptions(use_threads=False, block_size=max(len(text) + 1, 1 << 16))
    try:
        envelopes = pj.read_json(pa.BufferReader(text), options, _PARSE).combine_chunks()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        if len(bodies) > 1:
            return [found for body in bodies for found in _parse_together([body])]
        return [None]
    if envelopes.num_rows != len(bodies):
        return [None] * len(bodies)
    data, counts = envelopes["data"].chunk(0), envelopes["count"].to_pylist()
    found: list[tuple[pa.StructArray, int] | None] = []
    for index, count in enumerate(counts):
        calls = data[index].values if data[index].is_valid else None
        # A null in `data` is not a call object: the careful way says so and has it retried.
        usable = calls is not None and count is not None and not calls.null_count
        found.append((calls, count) if usable else None)
    return found


def _repaired(records: list[dict]) -> RepairedCalls:
    with_id = [r for r in records if isinstance(r.get("id"), str) and r["id"]]
    report = FlattenReport()
    batch = flatten_records(with_id, report)
    return RepairedCalls(batch, report, len(records) - len(with_id))


def _runs(pages: Sequence[Page]) -> list[list]:
    """Consecutive pages read the same way, grouped, in offset order."""
    runs: list[list] = []
    for page in pages:
        if runs and type(runs[-1][0]) is type(page.records):
            runs[-1].append(page.records)
        else:
            runs.append([page.records])
    return runs


def _flat_runs(run: list[ParsedCalls], report: FlattenReport) -> list[pa.Table]:
    """Parsed pages as calls-table rows, built in one go; a page whose timestamps Arrow
    cannot read goes the careful way on its own."""
    try:
        return [_columns(pa.chunked_array([page.calls for page in run], _CALL))]
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        if len(run) > 1:
            return [table for page in run for table in _flat_runs([page], report)]
    repaired = _repaired(run[0].calls.to_pylist())
    report.add(repaired.report)
    return [pa.Table.from_batches([repaired.batch])]


def _columns(calls: pa.ChunkedArray) -> pa.Table:
    """The calls' fields as the calls table's columns; a null object gives null columns."""
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
    return pa.Table.from_arrays(arrays, schema=LOOSE_CALLS_SCHEMA)


def _latest_copies(table: pa.Table) -> tuple[pa.Table, int]:
    """One row per id, the last one paged (the latest copy); and how many were dropped."""
    distinct = pc.count_distinct(table["id"]).as_py()
    if distinct == len(table):
        return table, 0
    rows = pa.table({"id": table["id"], "row": pa.array(range(len(table)), pa.int64())})
    last = rows.group_by("id", use_threads=False).aggregate([("row", "max")])["row_max"]
    return table.take(pc.take(last, pc.sort_indices(last))), len(table) - distinct
