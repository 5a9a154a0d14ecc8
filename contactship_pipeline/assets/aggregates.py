"""Daily sentiment and disconnection mixes, downstream of `contactship/calls`."""

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, AssetsDefinition, asset

from contactship_pipeline.aggregates import disconnections_daily, sentiment_daily
from contactship_pipeline.metadata import column_schema, markdown_table, share_chart
from contactship_pipeline.schema import DISCONNECTIONS_DAILY_SCHEMA, SENTIMENT_DAILY_SCHEMA

CALLS = AssetIn(key=["contactship", "calls"])


def build_aggregate_assets(partitions_def) -> list[AssetsDefinition]:
    @asset(
        key=["contactship", "sentiment_daily"],
        ins={"calls": CALLS},
        partitions_def=partitions_def,
        io_manager_key="parquet_io_manager",
        group_name="contactship",
        kinds={"pandas", "parquet"},
        metadata={"dagster/column_schema": column_schema(SENTIMENT_DAILY_SCHEMA)},
        code_version="1",
    )
    def sentiment(context: AssetExecutionContext, calls: pd.DataFrame) -> pd.DataFrame:
        """How the day's calls felt: calls and share per sentiment, where no analysis is its
        own row, so the shares of a day always add up to 1."""
        mix = sentiment_daily(calls, context.partition_time_window.start.date())
        context.add_output_metadata(
            {
                "dagster/row_count": len(mix),
                "chart": share_chart(mix, "sentiment"),
                "mix": markdown_table(mix.drop(columns="day")),
            }
        )
        return mix

    @asset(
        key=["contactship", "disconnections_daily"],
        ins={"calls": CALLS},
        partitions_def=partitions_def,
        io_manager_key="parquet_io_manager",
        group_name="contactship",
        kinds={"pandas", "parquet"},
        metadata={"dagster/column_schema": column_schema(DISCONNECTIONS_DAILY_SCHEMA)},
        code_version="1",
    )
    def disconnections(context: AssetExecutionContext, calls: pd.DataFrame) -> pd.DataFrame:
        """Why the day's calls ended: calls, share and mean duration per disconnection
        reason, with case and spacing of the reasons normalised."""
        mix = disconnections_daily(calls, context.partition_time_window.start.date())
        context.add_output_metadata(
            {
                "dagster/row_count": len(mix),
                "chart": share_chart(mix, "disconnection_reason"),
                "mix": markdown_table(mix.drop(columns="day")),
            }
        )
        return mix

    return [sentiment, disconnections]
