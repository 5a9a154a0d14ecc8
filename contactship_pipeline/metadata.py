"""Run metadata a person reads in the Dagster UI, free of personal data."""

import pandas as pd
import pyarrow as pa
from dagster import MetadataValue, TableColumn, TableSchema

from contactship_pipeline.schema import PERSONAL_COLUMNS

PREVIEW_COLUMNS = (
    "id",
    "created_at",
    "call_status",
    "call_result",
    "duration",
    "call_analysis_sentiment",
    "disconnection_reason",
)


def column_schema(schema: pa.Schema) -> TableSchema:
    """The Arrow schema as Dagster's column schema, shown on the asset's page."""
    return TableSchema(
        columns=[
            TableColumn(name=field.name, type=str(field.type), description=_describe(field.name))
            for field in schema
        ]
    )


def _describe(name: str) -> str | None:
    return "personal data" if name in PERSONAL_COLUMNS else None


def markdown_table(frame: pd.DataFrame, floats: str = "{:.3f}") -> MetadataValue:
    """A small frame as a Markdown table; nulls shown as `(none)`."""
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = [
        "| " + " | ".join(_cell(value, floats) for value in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return MetadataValue.md("\n".join([header, rule, *rows]))


def _cell(value, floats: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "(none)"
    if isinstance(value, float):
        return floats.format(value)
    return str(value)


def calls_preview(calls: pd.DataFrame, rows: int = 5) -> MetadataValue:
    """The first calls of the day, without any personal column."""
    return markdown_table(calls.loc[:, list(PREVIEW_COLUMNS)].head(rows))


def share_chart(mix: pd.DataFrame, label: str, width: int = 40) -> MetadataValue:
    """A day's mix as a Markdown bar chart: one bar of block characters per label, its length
    the label's share of the day's calls. Text, so Dagster's Markdown renders it as it is."""
    header = f"| {label} | calls | share | |\n| --- | ---: | ---: | --- |"
    rows = [
        f"| {_cell(name, '{}')} | {calls} | {share:.1%} | `{_bar(share, width)}` |"
        for name, calls, share in zip(mix[label], mix["calls"], mix["share"], strict=True)
    ]
    return MetadataValue.md("\n".join([header, *rows]) if rows else "No calls this day.")


def _bar(share: float, width: int) -> str:
    # A share that rounds to no block still shows a sliver, so no label looks absent.
    return "\u2588" * round(share * width) or "\u258f"
