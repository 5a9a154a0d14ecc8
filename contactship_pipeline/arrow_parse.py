"""Raw page bodies parsed by Arrow's JSON reader straight into the calls table's columns.

The reader parses against the shape the API documents for a call and fails on anything else (a
value of another type, a field it does not know, a call that is not an object), so a page it
accepts needs no repair: its values are the API's, column by column. Several pages fetched one
after another are parsed as one input, one page per line, so Arrow's setup per read is paid
once per run of pages; the columns are built, and the timestamps read, once per run too.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.json as pj

from contactship_pipeline.flatten import LOOSE_CALLS_SCHEMA
from contactship_pipeline.schema import CALL_COLUMNS, TIMESTAMP


def _call_type() -> pa.StructType:
    """A call as the API documents it: timestamps as text (read later), objects as structs."""
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


CALL = _call_type()
_PARSE = pj.ParseOptions(
    explicit_schema=pa.schema([("data", pa.list_(CALL)), ("count", pa.int64())]),
    unexpected_field_behavior="error",
)


@dataclass
class ParsedCalls:
    """One page's calls: rows `start` to `start + size` of the batch its run was parsed into,
    in `LOOSE_CALLS_SCHEMA`."""

    run: pa.RecordBatch
    start: int
    size: int
    count: int

    def call_ids(self) -> list[str]:
        ids = self.run.column("id").slice(self.start, self.size).to_pylist()
        return [call_id for call_id in ids if call_id]


def parse_run(bodies: Sequence[bytes]) -> list[ParsedCalls | None]:
    """Each body's calls, parsed together; None for a body that needs the careful way.

    The bodies are joined by newlines, so each must be one line; if any body does not fit the
    documented shape, each is parsed on its own, so the others still take this path.
    """
    if len(bodies) > 1 and any(b"\n" in body for body in bodies):
        return [found for body in bodies for found in parse_run([body])]
    text = b"\n".join(bodies)
    options = pj.ReadOptions(use_threads=False, block_size=max(len(text) + 1, 1 << 16))
    try:
        envelopes = pj.read_json(pa.BufferReader(text), options, _PARSE).combine_chunks()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        if len(bodies) > 1:
            return [found for body in bodies for found in parse_run([body])]
        return [None]
    if envelopes.num_rows != len(bodies):
        return [None] * len(bodies)
    return _pages(envelopes["data"].chunk(0), envelopes["count"].to_pylist())


def _pages(data: pa.ListArray, counts: list[int | None]) -> list[ParsedCalls | None]:
    """The run's columns, built once, cut back into its pages."""
    offsets = data.offsets.to_pylist()
    calls = data.values
    try:
        run = _columns(calls)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        run = None  # a timestamp Arrow cannot read: page by page, to find which
    pages: list[ParsedCalls | None] = []
    for index, count in enumerate(counts):
        start, stop = offsets[index], offsets[index + 1]
        # A null `data` or a null in it is not a page of call objects: the careful way says so.
        if count is None or not data[index].is_valid or calls.slice(start, stop - start).null_count:
            pages.append(None)
        elif run is not None:
            pages.append(ParsedCalls(run, start, stop - start, count))
        else:
            pages.append(_alone(calls.slice(start, stop - start), count))
    return pages


def _alone(calls: pa.StructArray, count: int) -> ParsedCalls | None:
    try:
        return ParsedCalls(_columns(calls), 0, len(calls), count)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def _columns(calls: pa.StructArray) -> pa.RecordBatch:
    """The calls' fields as the calls table's columns; a null object gives null columns.

    Raises:
        pyarrow.ArrowInvalid: a timestamp Arrow cannot read.
    """
    fields = dict(zip([f.name for f in CALL], calls.flatten(), strict=True))
    nested = {
        name: fields[name].flatten() for name in fields if pa.types.is_struct(CALL[name].type)
    }
    arrays = []
    for _, path, dtype in CALL_COLUMNS:
        if len(path) == 1:
            array = fields[path[0]]
        else:
            array = nested[path[0]][CALL[path[0]].type.get_field_index(path[1])]
        arrays.append(array.cast(TIMESTAMP) if dtype == TIMESTAMP else array)
    arrays.append(pa.nulls(len(calls), pa.string()))
    return pa.RecordBatch.from_arrays(arrays, schema=LOOSE_CALLS_SCHEMA)
