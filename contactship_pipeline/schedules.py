"""Every night, the day that just ended."""

from dagster import (
    AssetSelection,
    DailyPartitionsDefinition,
    DefaultScheduleStatus,
    ScheduleDefinition,
    build_schedule_from_partitioned_job,
    define_asset_job,
)

DAILY_ASSETS = AssetSelection.groups("contactship")


def build_daily_job(partitions_def: DailyPartitionsDefinition):
    return define_asset_job(
        "contactship_daily",
        selection=DAILY_ASSETS,
        partitions_def=partitions_def,
        description="Calls of one day and every table built from them.",
    )


def build_daily_schedule(job) -> ScheduleDefinition:
    """At 02:00 in the partitions' time zone, run the job for the previous day.

    It starts running as soon as a daemon runs (`make dev`, `dagster-daemon run`); turn it off
    in the UI's Automation page.
    """
    return build_schedule_from_partitioned_job(
        job, hour_of_day=2, minute_of_hour=0, default_status=DefaultScheduleStatus.RUNNING
    )
