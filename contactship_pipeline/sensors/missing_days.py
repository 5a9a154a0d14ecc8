"""`missing_days_sensor`: days the store lacks are backfilled without anyone asking."""

from collections import defaultdict

from dagster import (
    DefaultSensorStatus,
    ResourceParam,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from contactship_pipeline.io_manager import ParquetUPathIOManager
from contactship_pipeline.sensors.cursor import HealingCursor, request_backfill, still_running
from contactship_pipeline.sensors.settings import HealingSettings
from contactship_pipeline.sensors.stored import (
    SENSOR_TARGET,
    healed_keys,
    missing_days,
    with_dependents,
)

IO_MANAGER_KEY = "parquet_io_manager"
MISSING_DAYS = "missing_days_sensor"


def build_missing_days_sensor(partitions_def, settings: HealingSettings) -> SensorDefinition:
    """The sensor that backfills every day whose calls (or tables built on them) are missing."""

    @sensor(
        name=MISSING_DAYS,
        asset_selection=SENSOR_TARGET,
        minimum_interval_seconds=settings.missing_days_interval_s,
        default_status=DefaultSensorStatus.STOPPED,
        description=(
            "Backfills the days whose calls or daily tables are not stored: never loaded, "
            f"last run failed, or file deleted. Newest first, at most "
            f"{settings.missing_days_per_tick} days per backfill, one backfill at a time."
        ),
    )
    def missing_days_sensor(
        context: SensorEvaluationContext,
        parquet_io_manager: ResourceParam[ParquetUPathIOManager],
    ):
        cursor = HealingCursor.load(context.cursor)
        running = still_running(context, MISSING_DAYS, cursor)
        if running:
            return running
        days = partitions_def.get_partition_keys()
        if not days:
            return SkipReason("no complete day yet")
        asset_graph = context.repository_def.asset_graph
        healed = healed_keys(asset_graph, partitions_def)
        lacking = _lacking(context, parquet_io_manager, healed, partitions_def, days)
        if not lacking:
            return SensorResult(
                skip_reason=f"all {len(days)} days from {days[0]} to {days[-1]} are stored",
                cursor=HealingCursor().dump(),
            )

        chosen = sorted(lacking, reverse=True)[: settings.missing_days_per_tick]
        context.log.info(
            f"{len(lacking)} of {len(days)} days lack something; backfilling the newest "
            f"{len(chosen)} (at most {settings.missing_days_per_tick} per tick)"
        )
        partitions: dict = defaultdict(list)
        for day in chosen:
            context.log.info(f"{day}: {_reasons(lacking[day])}")
            for key in with_dependents(set(lacking[day]), asset_graph, healed):
                partitions[key].append(day)
        return request_backfill(context, MISSING_DAYS, cursor, partitions)

    return missing_days_sensor


def _lacking(
    context: SensorEvaluationContext, io_manager, healed, partitions_def, days
) -> dict[str, dict]:
    """Per missing day, the tables it lacks and why."""
    lacking: dict[str, dict] = defaultdict(dict)
    for key in healed:
        # Files are checked for the tables this IO manager writes; others by Dagster alone.
        writes_files = context.repository_def.asset_graph.get(key).io_manager_key == IO_MANAGER_KEY
        files = io_manager if writes_files else None
        for day, reason in missing_days(context.instance, files, key, partitions_def, days).items():
            lacking[day][key] = reason
    return lacking


def _reasons(lacking: dict) -> str:
    """`never materialized: contactship/calls, ...; file missing: ...` for one day."""
    by_reason: dict[str, list[str]] = defaultdict(list)
    for key, reason in lacking.items():
        by_reason[reason].append(key.to_user_string())
    return "; ".join(f"{reason}: {', '.join(sorted(keys))}" for reason, keys in by_reason.items())
