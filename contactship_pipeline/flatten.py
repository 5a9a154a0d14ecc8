"""API call records to the calls table: flattened, typed, repaired where it is safe."""

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from contactship_pipeline.schema import CALL_COLUMNS, CALLS_SCHEMA, TIMESTAMP, TRANSCRIPT_FIELDS

# The calls schema before calls without an id or a `created_at` are set aside.
LOOSE_CALLS_SCHEMA = pa.schema([field.with_nullable(True) for field in CALLS_SCHEMA])

_KNOWN_TOP = {path[0] for _, path, _ in CALL_COLUMNS} | set(TRANSCRIPT_FIELDS)
_KNOWN_NESTED = {
    parent: {path[1] for _, path, _ in CALL_COLUMNS if len(path) == 2 and path[0] == parent}
    for parent in ("contact", "call_analysis")
}


@dataclass
class FlattenReport:
    """What flattening had to repair, and the calls it could not keep, by id only."""

    repaired: Counter = field(default_factory=Counter)
    rejected: list[tuple[str | None, str]] = field(default_factory=list)

    def add(self, other: "FlattenReport") -> None:
        """Count another report's repairs and rejections in this one."""
        self.repaired.update(other.repaired)
        self.rejected.extend(other.rejected)


def flatten_calls(records: list[dict[str, Any]]) -> tuple[pa.Table, FlattenReport]:
    """Flatten call records into a table with exactly `CALLS_SCHEMA`.

    A value of the wrong type is converted when nothing is lost (`"317"` or `317.0` for a
    duration, a number where text belongs); otherwise it becomes null and is counted. A call
    without a usable `created_at` cannot be placed in a day and is rejected by id.
    """
    report = FlattenReport()
    batch = flatten_records(records, report)
    return set_aside_unplaced(pa.Table.from_batches([batch]), report), report


def flatten_records(records: list[dict[str, Any]], report: FlattenReport) -> pa.RecordBatch:
    """Flatten call records into `LOOSE_CALLS_SCHEMA`, counting every repair in `report`.

    Calls keep their place even when `created_at` is unreadable (it is null then), so that a
    later copy of the same call can still replace them before they are set aside.
    """
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
    return pa.RecordBatch.from_arrays(arrays, schema=LOOSE_CALLS_SCHEMA)


def set_aside_unplaced(table: pa.Table, report: FlattenReport) -> pa.Table:
    """The calls that have a `created_at`, in `CALLS_SCHEMA`; the others rejected by id."""
    placed = pc.is_valid(table["created_at"])
    if table["created_at"].null_count:
        for call_id in table.filter(pc.invert(placed))["id"].to_pylist():
            report.rejected.append((str(call_id), "created_at is missing or unreadable"))
        table = table.filter(placed)
    return table.cast(CALLS_SCHEMA)


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
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        report.repaired[name] += 1
        return None
    # A timestamp without an offset is read as UTC, the zone the API documents for dates.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _integer(value: Any, name: str, report: FlattenReport) -> int | None:
    if value is None or (type(value) is int):
        return value
    report.repaired[name] += 1
    if isinstance(value, float) and math.isfinite(value):
        return round(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return round(number) if math.isfinite(number) else None
    return None


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
    return json.dumps(extra, sort_keys=True, default=str) if extra else None
