"""What the store holds: which days of a table are there, and what a span of calls counts."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from dagster import AssetKey, AssetPartitionStatus, AssetSelection, DagsterInstance

from contactship_pipeline.api.contract import NON_TERMINAL_STATUSES
from contactship_pipeline.io_manager import ParquetUPathIOManager

CALLS = AssetKey(["contactship", "calls"])
# The sensors' target as the UI lists it; each tick narrows it with `healed_keys`.
SENSOR_TARGET = AssetSelection.groups("contactship")


@dataclass(frozen=True)
class StoredCalls:
    """The calls stored for a span of time: how many, how many per non-terminal status, and how
    many were answered but have no analysis yet (it arrives later, and no count shows when)."""

    calls: int
    running: dict[str, int]
    awaiting_analysis: int = 0


def healed_keys(asset_graph, partitions_def) -> set[AssetKey]:
    """The tables the sensors keep whole: the calls, the tables the same fetch writes
    (transcripts, when switched on), and every daily table built from them."""
    fetched_with_calls = asset_graph.get(CALLS).assets_def.keys
    selection = AssetSelection.assets(*fetched_with_calls).downstream()
    return {
        key
        for key in selection.resolve(asset_graph)
        if asset_graph.get(key).partitions_def == partitions_def
    }


def with_dependents(keys: set[AssetKey], asset_graph, healed: set[AssetKey]) -> set[AssetKey]:
    """`keys`, the assets that must run with them, and what is built from them, within `healed`."""
    selection = AssetSelection.assets(*keys).required_multi_asset_neighbors().downstream()
    return selection.resolve(asset_graph) & healed


def missing_days(
    instance: DagsterInstance,
    io_manager: ParquetUPathIOManager | None,
    asset_key: AssetKey,
    partitions_def,
    days: Sequence[str],
) -> dict[str, str]:
    """The `days` of `asset_key` the store lacks, each with the reason, oldest first.

    A day is missing when Dagster has no materialization of it, when its latest run failed,
    or when its file is gone (checked where `io_manager` writes it; not checked when None).
    A day with a run in progress is not missing: that run is on it.
    """
    statuses = instance.get_status_by_partition(asset_key, days, partitions_def) or {}
    present = days_with_files(io_manager, asset_key, days) if io_manager else set(days)
    missing = {}
    for day in days:
        status = statuses.get(day)
        if status == AssetPartitionStatus.IN_PROGRESS:
            continue
        if status == AssetPartitionStatus.FAILED:
            missing[day] = "last run failed"
        elif status != AssetPartitionStatus.MATERIALIZED:
            missing[day] = "never materialized"
        elif day not in present:
            missing[day] = "file missing"
    return missing


def days_with_files(
    io_manager: ParquetUPathIOManager, asset_key: AssetKey, days: Sequence[str]
) -> set[str]:
    """The `days` whose file is where the IO manager writes it; each folder is listed once."""
    paths = {day: io_manager.partition_path(asset_key, day) for day in days}
    listed: dict[str, set[str]] = {}
    for path in paths.values():
        folder = str(path.parent)
        if folder not in listed:
            listed[folder] = (
                {p.name for p in path.parent.iterdir()} if path.parent.exists() else set()
            )
    return {day for day, path in paths.items() if path.name in listed[str(path.parent)]}


def stored_calls(
    io_manager: ParquetUPathIOManager, days: Sequence[str], start: datetime, end: datetime
) -> StoredCalls:
    """Count the stored calls created in `[start, end)`, reading those days' calls files.

    Only the creation time, status, result and analysis columns are read.
    """
    calls = awaiting = 0
    statuses: Counter = Counter()
    for day in days:
        with io_manager.partition_path(CALLS, day).open("rb") as file:
            table = pq.read_table(file, columns=list(_STORED_COLUMNS))
        created = table["created_at"]
        inside = pc.and_(
            pc.greater_equal(created, pa.scalar(start, created.type)),
            pc.less(created, pa.scalar(end, created.type)),
        )
        kept = table.filter(inside)
        calls += kept.num_rows
        statuses.update(kept["call_status"].to_pylist())
        awaiting += _awaiting_analysis(kept)
    running = {status: statuses[status] for status in NON_TERMINAL_STATUSES}
    return StoredCalls(calls, running, awaiting)


_STORED_COLUMNS = (
    "created_at",
    "call_status",
    "call_result",
    "call_analysis_summary",
    "call_analysis_sentiment",
)


def _awaiting_analysis(calls: pa.Table) -> int:
    """Answered calls with neither a summary nor a sentiment."""
    answered = pc.equal(calls["call_result"], "answered")
    bare = pc.and_(
        pc.is_null(calls["call_analysis_summary"]), pc.is_null(calls["call_analysis_sentiment"])
    )
    return pc.sum(pc.and_(answered, bare).cast(pa.int64())).as_py() or 0
