"""Daily sentiment and disconnection mixes, downstream of `contactship/calls`."""

from collections.abc import Callable
from datetime import date

import pandas as pd
import pyarrow as pa
from dagster import AssetExecutionContext, AssetIn, AssetsDefinition, asset

from contactship_pipeline.aggregates import disconnections_daily, sentiment_daily
from contactship_pipeline.metadata import column_schema, markdown_table, share_chart
from contactship_pipeline.schema import DISCONNECTIONS_DAILY_SCHEMA, SENTIMENT_DAILY_SCHEMA

CALLS = AssetIn(key=["contactship", "calls"])


def _mix_asset(
    name: str,
    label: str,
    schema: pa.Schema,
    compute: Callable[[pd.DataFrame, date], pd.DataFrame],
    description: str,
    partitions_def,
) -> AssetsDefinition:
    """A daily mix of the day's calls per `label`, with a chart and the table as metadata."""

    @asset(
        key=["contactship", name],
        ins={"calls": CALLS},
        partitions_def=partitions_def,
        io_manager_key="parquet_io_manager",
        group_name="contactship",
        kinds={"pandas", "parquet"},
        metadata={"dagster/column_schema": column_schema(schema)},
        description=description,
        code_version="1",
    )
    def mix_asset(context: AssetExecutionContext, calls: pd.DataFrame) -> pd.DataFrame:
        mix = compute(calls, context.partition_time_window.start.date())
        context.add_output_metadata(
            {
                "dagster/row_count": len(mix),
                "chart": share_chart(mix, label),
                "mix": markdown_table(mix.drop(columns="day")),
            }
        )
        return mix

    return mix_asset


def build_aggregate_assets(partitions_def) -> list[AssetsDefinition]:
    sentiment = _mix_asset(
        "sentiment_daily",
        "sentiment",
        SENTIMENT_DAILY_SCHEMA,
        sentiment_daily,
        "How the day's calls felt: calls and share per sentiment, where no analysis is its own "
        "row, so the shares of a day always add up to 1.",
        partitions_def,
    )
    disconnections = _mix_asset(
        "disconnections_daily",
        "disconnection_reason",
        DISCONNECTIONS_DAILY_SCHEMA,
        disconnections_daily,
        "Why the day's calls ended: calls, share and mean duration per disconnection reason, "
        "with case and spacing of the reasons normalised.",
        partitions_def,
    )
    return [sentiment, disconnections]
