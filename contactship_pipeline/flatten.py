"""API call records to the calls table: flattened, typed, repaired where it is safe."""

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from contactship_pipeline.schema import CALL_COLUMNS, CALLS_SCHEMA, TIMESTAMP, TRANSCRIPT_FIELDS

_KNOWN_TOP = {path[0] for _, path, _ in CALL_COLUMNS} | set(TRANSCRIPT_FIELDS)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_KNOWN_NESTED = {
    parent: {path[1] for _, path, _ in CALL_COLUMNS if len(path) == 2 and path[0] == parent}
    for parent in ("contact", "call_analysis")
}


@dataclass
class FlattenReport:
    """What flattening had to repair, and the calls it could not keep, by id only."""

    repaired: Counter = field(default_factory=Counter)
    rejected: list[tuple[str, str]] = field(default_factory=list)


def flatten_calls(
    records: list[dict[str, Any]], window: tuple[datetime, datetime] | None = None
) -> tuple[pa.Table, FlattenReport]:
    """Flatten call records into a table with exactly `CALLS_SCHEMA`.

    A value of the wrong type is converted when nothing is lost (`"317"` or `317.0` for a
    duration, a number where text belongs); otherwise it becomes null and is counted. A call
    without a usable `created_at` cannot be placed in a day, and one without an `id` cannot be
    told apart from others: both are rejected, by id or by creation time, never by content.

    Args:
        records: call objects as the API sent them, with or without ids.
        window: UTC `[start, end)`; calls created outside it are left out and not reported
            (they belong to another day). Calls whose `created_at` is unreadable are always
            reported, since no day can claim them.
    """
    report = FlattenReport()
    # Not counted as repairs: a call without a readable created_at is rejected instead.
    created = _timestamps([r.get("created_at") for r in records], "created_at", FlattenReport())
    keep = []
    for record, instant in zip(records, created, strict=True):
        call_id = record.get("id")
        call_id = call_id if isinstance(call_id, str) and call_id.strip() else None
        if instant is None:
            report.rejected.append((call_id, "created_at is missing or unreadable"))
        elif window is not None and not window[0] <= instant < window[1]:
            continue
        elif call_id is None:
            report.rejected.append((None, f"no usable id (created_at {instant.isoformat()})"))
        else:
            keep.append(record)
    records = keep

    arrays = []
    for name, path, dtype in CALL_COLUMNS:
        values = [_dig(record, path, name, report) for record in records]
        if dtype == TIMESTAMP:
            arrays.append(pa.array(_timestamps(values, name, report), TIMESTAMP))
        elif dtype == pa.int64():
            arrays.append(pa.array([_integer(v, name, report) for v in values], pa.int64()))
        else:
            arrays.append(pa.array([_text(v, name, report) for v in values], pa.string()))
    arrays.append(pa.array([_extra_fields(record) for record in records], pa.string()))
    return pa.Table.from_arrays(arrays, schema=CALLS_SCHEMA), report


def _dig(record: dict, path: tuple[str, ...], name: str, report: FlattenReport) -> Any:
    value: Any = record
    for key in path:
        if value is None:
            return None
        if not isinstance(value, dict):
            report.repaired[name] += 1
            return None
        value = value.get(key)
    return value


def _timestamps(values: list[Any], name: str, report: FlattenReport) -> list[datetime | None]:
    try:
        return pa.array(values, pa.string()).cast(TIMESTAMP).to_pylist()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return [_timestamp(value, name, report) for value in values]


def _timestamp(value: Any, name: str, report: FlattenReport) -> datetime | None:
    if value is None:
        return None
    try:
        # RFC 3339 allows a lower-case `t` and `z`; fromisoformat does not.
        parsed = datetime.fromisoformat(value.upper())
    except (AttributeError, ValueError):
        report.repaired[name] += 1
        return None
    # A timestamp without an offset is read as UTC, the zone the API documents for dates.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _integer(value: Any, name: str, report: FlattenReport) -> int | None:
    if value is None or (type(value) is int and _INT64_MIN <= value <= _INT64_MAX):
        return value
    report.repaired[name] += 1
    number = value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    if type(number) not in (int, float) or not math.isfinite(number):
        return None
    number = round(number)
    return number if _INT64_MIN <= number <= _INT64_MAX else None


def _text(value: Any, name: str, report: FlattenReport) -> str | None:
    if value is None or type(value) is str:
        return value
    report.repaired[name] += 1
    return json.dumps(value, sort_keys=True)


def _extra_fields(record: dict) -> str | None:
    """Fields the published schema does not know, kept as JSON text rather than lost."""
    extra = {key: value for key, value in record.items() if key not in _KNOWN_TOP}
    for parent, known in _KNOWN_NESTED.items():
        nested = record.get(parent)
        if isinstance(nested, dict):
            extra.update({f"{parent}.{k}": v for k, v in nested.items() if k not in known})
        elif nested is not None:
            extra[parent] = nested  # not an object: its columns are null, the value kept here
    return json.dumps(extra, sort_keys=True, default=str) if extra else None
