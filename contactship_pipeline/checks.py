"""Asset checks: what a stored day must satisfy, read back from storage and compared to the API.

A failing check names the calls at fault by id (rows by number where there is no id), never by a
personal value.
"""

import warnings

import pandas as pd
import pyarrow as pa
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetKey,
    MetadataValue,
    PreviewWarning,
    asset_check,
)

from contactship_pipeline.partitions import covering_dates, window_bounds_utc
from contactship_pipeline.resources import ContactshipResource
from contactship_pipeline.schema import CALLS_SCHEMA

CALLS = AssetKey(["contactship", "calls"])
AGGREGATES = (
    AssetKey(["contactship", "sentiment_daily"]),
    AssetKey(["contactship", "disconnections_daily"]),
)
# A day's shares are sums of floats: allow rounding, not a missing or repeated row.
SHARE_TOLERANCE = 1e-9
# How many ids a failed check lists in its metadata; the count is always given in full.
LISTED = 50


def listed_ids(ids: list[str]) -> MetadataValue:
    """At most `LISTED` ids as text, with how many more there are."""
    shown = ", ".join(ids[:LISTED])
    more = len(ids) - LISTED
    return MetadataValue.text(shown + (f" and {more} more" if more > 0 else "") if ids else "none")


def daily_check(partitions_def, **kwargs):
    """`asset_check` for one partition at a time: each day's result belongs to that day.

    Partitioned checks are a preview in Dagster 1.13 (pinned exactly); its warning is silenced.
    """

    def decorate(fn) -> AssetChecksDefinition:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PreviewWarning)
            return asset_check(partitions_def=partitions_def, **kwargs)(fn)

    return decorate


def build_calls_checks(partitions_def) -> list[AssetChecksDefinition]:
    """The four checks on each day of `contactship/calls`."""

    @daily_check(partitions_def, asset=CALLS, name="ids_unique", blocking=True)
    def ids_unique(calls: pd.DataFrame) -> AssetCheckResult:
        """Every call is stored once: no `id` appears twice in the day."""
        return repeated_ids(calls)

    @daily_check(partitions_def, asset=CALLS, name="schema_is_published", blocking=True)
    def schema_is_published(calls: pd.DataFrame) -> AssetCheckResult:
        """The stored columns, their order and types are the published schema (`schema.py`),
        and the columns that may not be null hold no null."""
        return published_schema(calls)

    @daily_check(partitions_def, asset=CALLS, name="created_inside_the_day", blocking=True)
    def created_inside_the_day(context: AssetCheckExecutionContext, calls: pd.DataFrame):
        """Every stored call was created inside the partition's day, `[start, end)` in the
        partition's time zone."""
        return inside_the_day(calls, context.partition_time_window)

    @daily_check(partitions_def, asset=CALLS, name="matches_the_api")
    def matches_the_api(
        context: AssetCheckExecutionContext, calls: pd.DataFrame, contactship: ContactshipResource
    ) -> AssetCheckResult:
        """The stored calls are exactly the calls the API has for the day, asked again now.

        The API filters by date in an unstated zone, so the day's own count is not one request:
        the check pages the same covering window the asset reads, and keeps the calls created
        inside the day."""
        return compare_with_api(context.partition_time_window, calls, contactship)

    return [ids_unique, schema_is_published, created_inside_the_day, matches_the_api]


def repeated_ids(calls: pd.DataFrame) -> AssetCheckResult:
    counts = calls["id"].value_counts()
    repeated = sorted(str(call_id) for call_id in counts[counts > 1].index)
    return AssetCheckResult(
        passed=not repeated,
        metadata={"repeated_ids": len(repeated), "ids": listed_ids(repeated)},
    )


def published_schema(calls: pd.DataFrame) -> AssetCheckResult:
    stored = pa.Table.from_pandas(calls, preserve_index=False).schema
    problems = schema_differences(stored, CALLS_SCHEMA)
    for field in CALLS_SCHEMA:
        if not field.nullable and field.name in calls.columns:
            rows = [int(i) for i in calls.index[calls[field.name].isna()]]
            if rows:
                problems.append(f"{field.name} is null in rows {rows[:LISTED]}")
    return AssetCheckResult(
        passed=not problems,
        metadata={"problems": MetadataValue.text("; ".join(problems) or "none")},
    )


def inside_the_day(calls: pd.DataFrame, window) -> AssetCheckResult:
    start, end = window_bounds_utc(window)
    created = pd.to_datetime(calls["created_at"], utc=True)
    ids = sorted(
        str(call_id) for call_id in calls.loc[~((created >= start) & (created < end)), "id"]
    )
    return AssetCheckResult(
        passed=not ids,
        metadata={
            "window_utc": f"{start.isoformat()} .. {end.isoformat()}",
            "calls_outside": len(ids),
            "ids": listed_ids(ids),
        },
    )


def schema_differences(stored: pa.Schema, published: pa.Schema) -> list[str]:
    """Each way the stored columns differ from the published ones, by column name."""
    if stored.names != published.names:
        missing = [name for name in published.names if name not in stored.names]
        extra = [name for name in stored.names if name not in published.names]
        if missing or extra:
            return [f"missing columns {missing}, unexpected columns {extra}"]
        return [f"columns in order {stored.names}, published {published.names}"]
    return [
        f"{field.name} is {stored.field(field.name).type}, published {field.type}"
        for field in published
        if stored.field(field.name).type != field.type
    ]


def compare_with_api(window, calls: pd.DataFrame, contactship: ContactshipResource):
    """Page the covering window again and compare the day's ids with the stored ids."""
    date_from, date_to = covering_dates(window)
    fetch = contactship.fetch_window(date_from, date_to)
    start, end = window_bounds_utc(window)
    created = pd.to_datetime(
        pd.Series([record.get("created_at") for record in fetch.records], dtype="object"),
        utc=True,
        format="ISO8601",
        errors="coerce",
    )
    in_day = (created >= start) & (created < end)
    api_ids = {
        str(record["id"]) for record, inside in zip(fetch.records, in_day, strict=True) if inside
    }
    stored_ids = set(calls["id"].astype(str))
    missing = sorted(api_ids - stored_ids)
    unexpected = sorted(stored_ids - api_ids)
    return AssetCheckResult(
        passed=len(calls) == len(api_ids) and not missing and not unexpected,
        metadata={
            "stored_rows": len(calls),
            "api_calls_in_day": len(api_ids),
            "api_window": f"{date_from}..{date_to}",
            "api_window_count": fetch.count if fetch.count is not None else MetadataValue.null(),
            # Calls the API sent without an id or a readable creation time belong to no day.
            "api_calls_unplaceable": len(fetch.without_id) + int(created.isna().sum()),
            "missing_ids": listed_ids(missing),
            "unexpected_ids": listed_ids(unexpected),
        },
    )


def build_aggregate_checks(partitions_def) -> list[AssetChecksDefinition]:
    """One check per daily mix: the shares of each day add up to 1."""
    return [_shares_sum_to_one(key, partitions_def) for key in AGGREGATES]


def _shares_sum_to_one(key: AssetKey, partitions_def) -> AssetChecksDefinition:
    @daily_check(
        partitions_def,
        asset=key,
        name="shares_sum_to_one",
        description="The shares of each day add up to 1 (a day without calls has no rows).",
    )
    def check(mix: pd.DataFrame) -> AssetCheckResult:
        totals = mix.groupby("day")["share"].sum()
        wrong = {str(day): float(total) for day, total in totals.items()}
        wrong = {day: total for day, total in wrong.items() if abs(total - 1) > SHARE_TOLERANCE}
        return AssetCheckResult(
            passed=not wrong,
            metadata={
                "days": len(totals),
                "days_off": MetadataValue.text(
                    ", ".join(f"{day}: {total:.6f}" for day, total in wrong.items()) or "none"
                ),
            },
        )

    return check
