"""`late_changes_sensor`: recent days whose calls changed at the API are loaded again."""

from dagster import (
    AssetPartitionStatus,
    DefaultSensorStatus,
    ResourceParam,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    sensor,
)

from contactship_pipeline.io_manager import ParquetUPathIOManager
from contactship_pipeline.resources import ContactshipResource
from contactship_pipeline.sensors.api_counts import ApiCounter
from contactship_pipeline.sensors.cursor import HealingCursor, request_backfill, still_running
from contactship_pipeline.sensors.reconcile import Reconciliation
from contactship_pipeline.sensors.settings import HealingSettings
from contactship_pipeline.sensors.stored import CALLS, SENSOR_TARGET, days_with_files, healed_keys

LATE_CHANGES = "late_changes_sensor"


def build_late_changes_sensor(partitions_def, settings: HealingSettings) -> SensorDefinition:
    """The sensor that compares the last complete days with the API and reloads those that
    changed: calls that were still running at midnight, calls that arrived late."""

    @sensor(
        name=LATE_CHANGES,
        asset_selection=SENSOR_TARGET,
        minimum_interval_seconds=settings.recheck_interval_s,
        default_status=DefaultSensorStatus.STOPPED,
        description=(
            f"Compares the last {settings.recheck_days} complete days with the API's counts "
            "(all calls, and calls still running) and backfills the days that changed. At most "
            f"{settings.recheck_requests_per_tick} API requests per tick."
        ),
    )
    def late_changes_sensor(
        context: SensorEvaluationContext,
        contactship: ContactshipResource,
        parquet_io_manager: ResourceParam[ParquetUPathIOManager],
    ):
        cursor = HealingCursor.load(context.cursor)
        running = still_running(context, LATE_CHANGES, cursor)
        if running:
            return running
        complete = list(partitions_def.get_partition_keys())
        recent = complete[-settings.recheck_days :]
        # One more day back: outside UTC, the oldest day's first UTC date began the day before.
        stored = _stored(context, parquet_io_manager, partitions_def, complete[-len(recent) - 1 :])

        counter = ApiCounter(contactship, settings.recheck_requests_per_tick)
        check = Reconciliation(
            cursor,
            counter,
            parquet_io_manager,
            partitions_def,
            complete,
            stored,
            context.log,
            settings.analysis_recheck_s,
        )
        changed = check.run(recent)
        if check.waiting:
            context.log.info(
                f"not compared, as they (or the UTC dates they touch) are not all stored yet: "
                f"{', '.join(check.waiting)}"
            )
        cursor.checked = {day: at for day, at in cursor.checked.items() if day in recent}
        cursor.requested = {day: n for day, n in cursor.requested.items() if day in recent}
        cursor.analysis = {day: at for day, at in cursor.analysis.items() if day in recent}
        context.log.info(
            f"compared {len(check.compared)} of {len(recent)} days with {counter.requests} API "
            f"requests ({counter.attempts} HTTP attempts; limit {counter.limit} requests per tick)"
        )
        if not changed:
            return SensorResult(
                skip_reason=f"no change found in {len(check.compared)} days compared "
                f"({counter.requests} API requests)",
                cursor=cursor.dump(),
            )
        healed = healed_keys(context.repository_def.asset_graph, partitions_def)
        return request_backfill(context, LATE_CHANGES, cursor, {key: changed for key in healed})

    return late_changes_sensor


def _stored(context, io_manager, partitions_def, days: list[str]) -> set[str]:
    """The `days` whose calls are materialized (no run failing or in progress) and on disk."""
    statuses = context.instance.get_status_by_partition(CALLS, days, partitions_def) or {}
    on_disk = days_with_files(io_manager, CALLS, days)
    return {day for day in on_disk if statuses.get(day) == AssetPartitionStatus.MATERIALIZED}
