"""The transcript tables, written by the calls fetch when transcripts are switched on."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from dagster import AssetExecutionContext, AssetOut, Output

from contactship_pipeline.metadata import column_schema
from contactship_pipeline.policy import CallsPolicy
from contactship_pipeline.schema import (
    CALL_TOOL_EVENTS_SCHEMA,
    CALL_TURNS_SCHEMA,
    CALL_WORDS_SCHEMA,
)
from contactship_pipeline.settings import TranscriptOptions
from contactship_pipeline.transcript_pages import TranscriptCollector

# Output name -> (schema, field of DayTranscripts, what the table means).
TRANSCRIPT_TABLES = {
    "call_turns": (
        CALL_TURNS_SCHEMA,
        "turns",
        "What was said on each of the day's calls: one row per turn, with its speaker (role), "
        "its text and when it started and ended, in seconds from the start of the call. Joins "
        "to contactship/calls on call_id = id.",
    ),
    "call_words": (
        CALL_WORDS_SCHEMA,
        "words",
        "When each word of each turn was spoken: one row per word of the day's calls, in "
        "seconds from the start of the call.",
    ),
    "call_tool_events": (
        CALL_TOOL_EVENTS_SCHEMA,
        "tool_events",
        "What the voice agent did during the day's calls: one row per tool invocation or "
        "result, with the tool's name and its arguments and result as JSON text.",
    ),
}


def transcript_outs(options: TranscriptOptions) -> dict[str, AssetOut]:
    """The transcript assets that `options` switch on, none when transcripts are off."""
    return {
        name: AssetOut(
            key=["contactship", name],
            description=TRANSCRIPT_TABLES[name][2],
            io_manager_key="parquet_io_manager",
            kinds={"python", "parquet"},
            metadata={"dagster/column_schema": column_schema(TRANSCRIPT_TABLES[name][0])},
            code_version="1",
            is_required=False,
        )
        for name in enabled_tables(options)
    }


def enabled_tables(options: TranscriptOptions) -> list[str]:
    if not options.enabled:
        return []
    return [
        "call_turns",
        *(["call_words"] if options.words else []),
        *(["call_tool_events"] if options.tools else []),
    ]


@dataclass
class TranscriptOutputs:
    """What one run asks the API for, given the transcript tables it is to write."""

    tables: list[str]
    transcript_format: str
    collector: TranscriptCollector | None

    @classmethod
    def for_selection(
        cls, options: TranscriptOptions, selected: set[str], bounds: tuple[datetime, datetime]
    ) -> "TranscriptOutputs":
        """Only the selected tables are asked for: `calls` alone sends no include flag."""
        tables = [name for name in enabled_tables(options) if name in selected]
        collector = None
        if tables:
            collector = TranscriptCollector(
                *bounds, words="call_words" in tables, transcript_format=options.transcript_format
            )
        return cls(tables, options.transcript_format, collector)

    @property
    def include(self) -> dict[str, bool | str]:
        """The API's include flags for these tables."""
        if not self.tables:
            return {}
        include: dict[str, bool | str] = {"transcript_format": self.transcript_format}
        if "call_turns" in self.tables or "call_words" in self.tables:
            include["include_transcript"] = True
        if "call_words" in self.tables:
            include["include_words"] = True
        if "call_tool_events" in self.tables:
            include["include_tools"] = True
        return include

    @property
    def page_hook(self):
        return self.collector.take_page if self.collector else None

    def outputs(
        self, context: AssetExecutionContext, calls: pa.Table, policy: CallsPolicy
    ) -> Iterator[Output]:
        """One output per selected table, holding the rows of exactly the day's calls.

        `calls` is the day's calls table as received: the personal-data policy takes each
        call's own values from it to find them in the transcripts.
        """
        if self.collector is None:
            return
        day = self.collector.day_tables(calls["id"].to_pylist())
        redactor = policy.transcript_redactor(calls)
        for name in self.tables:
            table = getattr(day, TRANSCRIPT_TABLES[name][1])
            metadata = {
                "dagster/row_count": table.num_rows,
                "calls_with_rows": len(pc.unique(table["call_id"])),
                "transcript_format": self.transcript_format,
                **_unreadable(context, name, table),
            }
            if redactor is not None:
                table, replaced = redactor.protect(name, table)
                metadata["personal_values_replaced"] = replaced
            frame = table.to_pandas(types_mapper=pd.ArrowDtype)
            yield Output(frame, output_name=name, metadata=metadata)


def _unreadable(context: AssetExecutionContext, name: str, table: pa.Table) -> dict[str, int]:
    """Counts of what could not be read, all kept in the table's `raw` column, and a warning."""
    if "raw" not in table.column_names:
        return {}
    index = "turn_index" if name == "call_turns" else "event_index"
    unread = pc.is_valid(table["raw"])
    whole = pc.sum(pc.and_(unread, pc.is_null(table[index]))).as_py() or 0
    entries = (pc.sum(unread).as_py() or 0) - whole
    if whole or entries:
        context.log.warning(
            f"{context.partition_key}: contactship/{name}: {whole} transcript fields and "
            f"{entries} entries could not be read; each is kept as sent in the raw column"
        )
    return {"unreadable_fields": whole, "unreadable_entries": entries}
