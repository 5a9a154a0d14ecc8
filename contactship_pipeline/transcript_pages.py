"""A day's transcripts read page by page, so a day of raw transcripts is never held at once.

The calls fetch asks for a window of three days to cover one; each page's transcripts are read
into Arrow as the page arrives and taken out of the page's call records, calls created far
from the day are skipped, and at the end the rows of exactly the day's stored calls are kept.
"""

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from contactship_pipeline.schema import (
    CALL_TOOL_EVENTS_SCHEMA,
    CALL_TURNS_SCHEMA,
    CALL_WORDS_SCHEMA,
)
from contactship_pipeline.transcripts import TOOLS_FIELD, TURNS_FIELD, TranscriptRows, read_call

# Calls this far outside the day are surely not in it, however their timestamp is written.
_MARGIN = timedelta(hours=1)
# Each table, its schema and the columns that order a call's rows.
_TABLES = {
    "turns": (CALL_TURNS_SCHEMA, ["turn_index"]),
    "words": (CALL_WORDS_SCHEMA, ["turn_index", "word_index"]),
    "tool_events": (CALL_TOOL_EVENTS_SCHEMA, ["event_index"]),
}


@dataclass
class DayTranscripts:
    """The transcript tables of one day's calls, ordered like the calls."""

    turns: pa.Table
    words: pa.Table
    tool_events: pa.Table


@dataclass
class _Page:
    tables: dict[str, pa.Table] = field(default_factory=dict)
    call_ids: set[str] = field(default_factory=set)


class TranscriptCollector:
    """Reads transcripts out of each page of calls; safe to feed from several threads.

    Args:
        start: the day's first instant.
        end: the instant after the day.
        words: read per-word timing.
        transcript_format: the format asked for (`json` or `toon`).
    """

    def __init__(self, start: datetime, end: datetime, *, words: bool, transcript_format: str):
        self._low, self._high = start - _MARGIN, end + _MARGIN
        self._words = words
        self._format = transcript_format
        self._lock = threading.Lock()
        self._pages: list[_Page] = []
        self._latest: dict[str, int] = {}

    def take_page(self, records: list[dict[str, Any]]) -> None:
        """Read and remove the transcript fields of one page's calls (the client's page hook).

        A call seen twice keeps the transcript of its latest copy, as paging keeps the call.
        """
        rows = TranscriptRows()
        page = _Page()
        last = {_call_id(record): position for position, record in enumerate(records)}
        for position, record in enumerate(records):
            fields = {
                name: record.pop(name) for name in (TURNS_FIELD, TOOLS_FIELD) if name in record
            }
            call_id = _call_id(record)
            if not fields or call_id is None or last[call_id] != position:
                continue
            if self._may_be_in_day(record.get("created_at")):
                read_call(rows, {"id": call_id, **fields}, self._words, self._format)
                page.call_ids.add(call_id)
        if not page.call_ids:
            return
        page.tables = {
            "turns": rows.turns.table(),
            "words": rows.words.table(),
            "tool_events": rows.tool_events.table(),
        }
        with self._lock:
            self._pages.append(page)
            for call_id in page.call_ids:
                self._latest[call_id] = len(self._pages) - 1

    def day_tables(self, call_ids: Sequence[str]) -> DayTranscripts:
        """The rows of exactly these calls, in their order, then by turn, word or event.

        The pages read so far are released: call this once, after the fetch.
        """
        with self._lock:
            pages, latest = self._pages, self._latest
            self._pages, self._latest = [], {}
        wanted = set(call_ids)
        parts: dict[str, list[pa.Table]] = {name: [] for name in _TABLES}
        for number, page in enumerate(pages):
            pages[number] = None  # each page is let go as soon as its rows are taken
            keep = [c for c in page.call_ids if c in wanted and latest[c] == number]
            kept = pa.array(keep, pa.string())
            for name, table in page.tables.items():
                if len(keep) < len(page.call_ids):
                    table = table.filter(pc.is_in(table["call_id"], value_set=kept))
                parts[name].append(table)
        order = pa.array(list(call_ids), pa.string())
        tables = {}
        for name, (schema, by) in _TABLES.items():
            table = pa.concat_tables(parts.pop(name) or [schema.empty_table()])
            tables[name] = _ordered(table, order, by)
        return DayTranscripts(**tables)

    def _may_be_in_day(self, created: Any) -> bool:
        """False only for a call surely created outside the day; the calls table decides."""
        if not isinstance(created, str):
            return True
        try:
            instant = datetime.fromisoformat(created)
        except ValueError:
            return True
        instant = instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant
        return self._low <= instant < self._high


def _call_id(record: dict[str, Any]) -> str | None:
    call_id = record.get("id")
    return call_id if isinstance(call_id, str) and call_id else None


def _ordered(table: pa.Table, call_order: pa.Array, by: list[str]) -> pa.Table:
    """Rows by the calls' order, then by `by`; a call's rows are read in order already, so
    when the pages came in order (one pass, no repeats) nothing needs to move."""
    position = pc.index_in(table["call_id"], value_set=call_order)
    if len(position) < 2 or pc.all(pc.less_equal(position[:-1], position[1:])).as_py():
        return table
    keys = [("_call_position", "ascending")] + [(name, "ascending") for name in by]
    ordered = table.append_column("_call_position", position).sort_by(keys)
    return ordered.drop_columns(["_call_position"])
