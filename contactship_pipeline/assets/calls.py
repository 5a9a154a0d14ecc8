"""`contactship/calls`: every call created in a day, one row each.

With transcripts on, the same fetch of the day also yields the transcript tables (see
`assets/transcripts.py`): the API is paged once per day whatever is selected.
"""

import time
from collections.abc import Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from dagster import (
    AssetExecutionContext,
    AssetOut,
    AssetsDefinition,
    MetadataValue,
    Output,
    multi_asset,
)

from contactship_pipeline.aggregates import disconnections_daily, sentiment_daily
from contactship_pipeline.api import ContactshipError, WindowFetch
from contactship_pipeline.assets.transcripts import TranscriptOutputs, transcript_outs
from contactship_pipeline.flatten import FlattenReport, flatten_calls
from contactship_pipeline.metadata import calls_preview, column_schema, markdown_table
from contactship_pipeline.partitions import covering_dates, window_bounds_utc
from contactship_pipeline.policy import CallsPolicy
from contactship_pipeline.resources import ContactshipResource
from contactship_pipeline.schema import CALLS_SCHEMA
from contactship_pipeline.settings import TranscriptOptions

CALLS_OUT = AssetOut(
    key=["contactship", "calls"],
    description=(
        "Every Contactship call created during the day (in the partition's time zone), once "
        "each, with nested contact and analysis fields flattened into columns."
    ),
    io_manager_key="parquet_io_manager",
    kinds={"python", "parquet"},
    metadata={"dagster/column_schema": column_schema(CALLS_SCHEMA)},
    code_version="1",
    is_required=False,
)


def build_calls_asset(
    partitions_def, transcripts: TranscriptOptions | None = None
) -> AssetsDefinition:
    """`contactship/calls`, and the transcript tables that `transcripts` switches on."""
    transcripts = transcripts or TranscriptOptions()

    @multi_asset(
        # The op keeps the name a plain `contactship/calls` asset has, so run steps read alike.
        name="contactship__calls",
        outs={"calls": CALLS_OUT, **transcript_outs(transcripts)},
        partitions_def=partitions_def,
        group_name="contactship",
        can_subset=True,
    )
    def calls(
        context: AssetExecutionContext, contactship: ContactshipResource, calls_policy: CallsPolicy
    ) -> Iterator[Output]:
        """Fetch the day's calls once; write the calls and any selected transcript table."""
        started = time.monotonic()
        window = context.partition_time_window
        outputs = TranscriptOutputs.for_selection(
            transcripts, context.selected_output_names, window_bounds_utc(window)
        )
        fetch = _fetch(context, contactship, outputs)

        table, report = flatten_calls(fetch.records + fetch.without_id, window_bounds_utc(window))
        rejected = report.rejected
        day = _in_window(table, window)
        calls_policy.check_rejected(rejected, context.partition_key, context.log)
        frame = calls_policy.protect(day).to_pandas(types_mapper=pd.ArrowDtype)

        if "calls" in context.selected_output_names:
            metadata = _calls_metadata(context, fetch, report, frame, started)
            yield Output(frame, output_name="calls", metadata=metadata)
        yield from outputs.outputs(context, day, calls_policy)

    return calls


def _fetch(
    context: AssetExecutionContext, contactship: ContactshipResource, outputs: TranscriptOutputs
) -> WindowFetch:
    date_from, date_to = covering_dates(context.partition_time_window)
    try:
        fetch = contactship.fetch_window(
            date_from, date_to, page_hook=outputs.page_hook, **outputs.include
        )
    except ContactshipError as error:
        raise type(error)(f"partition {context.partition_key}: {error}") from None
    context.log.info(
        f"{context.partition_key}: fetched {fetch.received} calls created "
        f"{date_from}..{date_to} in {fetch.pages} pages ({fetch.retries} retries, "
        f"{fetch.duplicates} repeated)"
    )
    return fetch


def _calls_metadata(
    context: AssetExecutionContext,
    fetch: WindowFetch,
    report: FlattenReport,
    frame: pd.DataFrame,
    started: float,
) -> dict:
    window = context.partition_time_window
    date_from, date_to = covering_dates(window)
    return {
        "dagster/row_count": len(frame),
        "api_window": f"{date_from}..{date_to}",
        "api_count": fetch.count if fetch.count is not None else MetadataValue.null(),
        "count_missing": fetch.count_missing,
        "calls_in_window": fetch.received,
        "pages_fetched": fetch.pages,
        "requests": fetch.requests,
        "retries": fetch.retries,
        "repeated_calls": fetch.duplicates,
        "repaired_values": sum(report.repaired.values()),
        "repaired_by_column": dict(sorted(report.repaired.items())),
        "rejected_calls": len(report.rejected),
        "rejected_call_ids": sorted({call_id or "(no id)" for call_id, _ in report.rejected})[:100],
        "duration_s": round(time.monotonic() - started, 3),
        "preview": calls_preview(frame),
        "sentiment": markdown_table(
            sentiment_daily(frame, window.start.date()).drop(columns="day")
        ),
        "disconnections": markdown_table(
            disconnections_daily(frame, window.start.date()).drop(columns="day")
        ),
    }


def _in_window(table: pa.Table, window) -> pa.Table:
    """The calls created in `[start, end)` of the partition, oldest first."""
    start, end = window_bounds_utc(window)
    created = table["created_at"]
    mask = pc.and_(
        pc.greater_equal(created, pa.scalar(start, created.type)),
        pc.less(created, pa.scalar(end, created.type)),
    )
    return table.filter(mask).sort_by([("created_at", "ascending"), ("id", "ascending")])
