"""`contactship/agent_daily`: how each voice agent did on the day."""

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, AssetsDefinition, asset

from contactship_pipeline.agents import agent_daily
from contactship_pipeline.metadata import column_schema, markdown_table
from contactship_pipeline.schema import AGENT_DAILY_SCHEMA

_SUMMARY = ("agent_id", "calls", "answered_share", "mean_duration_s", "agent_talk_share")


def build_agent_daily_asset(partitions_def, with_turns: bool) -> AssetsDefinition:
    """The asset reads `contactship/call_turns` too when transcripts are on."""
    ins = {"calls": AssetIn(key=["contactship", "calls"])}
    if with_turns:
        ins["call_turns"] = AssetIn(key=["contactship", "call_turns"])

    @asset(
        key=["contactship", "agent_daily"],
        ins=ins,
        partitions_def=partitions_def,
        io_manager_key="parquet_io_manager",
        group_name="contactship",
        kinds={"pandas", "parquet"},
        metadata={"dagster/column_schema": column_schema(AGENT_DAILY_SCHEMA)},
        code_version="1",
    )
    def agents(context: AssetExecutionContext, **tables: pd.DataFrame) -> pd.DataFrame:
        """How each voice agent did on the day: its calls, the share answered, mean and 90th
        percentile duration, the sentiment mix, why calls ended and, with transcripts on, how
        much of the talking (turns and seconds) was the agent's."""
        day = context.partition_time_window.start.date()
        frame = agent_daily(tables["calls"], day, tables.get("call_turns"))
        summary = frame.loc[:, list(_SUMMARY)]
        context.add_output_metadata(
            {"dagster/row_count": len(frame), "agents": markdown_table(summary)}
        )
        return frame

    return agents
