"""Daily mixes computed from a day's calls: plain pandas, no Dagster."""

from datetime import date

import pandas as pd
import pyarrow as pa

from contactship_pipeline.schema import DISCONNECTIONS_DAILY_SCHEMA, SENTIMENT_DAILY_SCHEMA


def normalise_label(values: pd.Series) -> pd.Series:
    """Lower-case and trim free-text labels; a blank label is no label (null)."""
    labels = values.astype("string").str.strip().str.lower()
    return labels.mask(labels == "")


def _frame(columns: dict[str, list], schema: pa.Schema) -> pd.DataFrame:
    return pa.Table.from_pydict(columns, schema=schema).to_pandas(types_mapper=pd.ArrowDtype)


def _mix(calls: pd.DataFrame, labels: pd.Series, name: str) -> pd.DataFrame:
    """Calls and share per label, null as its own label, most frequent first."""
    grouped = (
        pd.DataFrame({name: labels, "duration": calls["duration"].astype("Float64")})
        .groupby(name, dropna=False, sort=False)
        .agg(calls=("duration", "size"), mean_duration_s=("duration", "mean"))
        .reset_index()
    )
    grouped["share"] = grouped["calls"] / max(len(calls), 1)
    order = grouped[name].fillna("\uffff")
    return grouped.assign(_order=order).sort_values(["calls", "_order"], ascending=[False, True])


def sentiment_daily(calls: pd.DataFrame, day: date) -> pd.DataFrame:
    """Per sentiment (normalised; null where the call has no analysis): calls and share."""
    mix = _mix(calls, normalise_label(calls["call_analysis_sentiment"]), "sentiment")
    columns = {
        "day": [day] * len(mix),
        "sentiment": _labels(mix["sentiment"]),
        "calls": mix["calls"].tolist(),
        "share": mix["share"].tolist(),
    }
    return _frame(columns, SENTIMENT_DAILY_SCHEMA)


def disconnections_daily(calls: pd.DataFrame, day: date) -> pd.DataFrame:
    """Per disconnection reason (normalised, null kept): calls, share and mean duration."""
    labels = normalise_label(calls["disconnection_reason"])
    mix = _mix(calls, labels, "disconnection_reason")
    columns = {
        "day": [day] * len(mix),
        "disconnection_reason": _labels(mix["disconnection_reason"]),
        "calls": mix["calls"].tolist(),
        "share": mix["share"].tolist(),
        "mean_duration_s": [None if pd.isna(v) else float(v) for v in mix["mean_duration_s"]],
    }
    return _frame(columns, DISCONNECTIONS_DAILY_SCHEMA)


def _labels(values: pd.Series) -> list[str | None]:
    return [None if pd.isna(value) else str(value) for value in values]
