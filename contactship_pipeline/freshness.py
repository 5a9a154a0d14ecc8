"""When a day counts as late, and the sensor that tells the UI so.

Dagster 1.13 marks these factories superseded by `FreshnessPolicy`, but a policy looks only at the
latest materialization of any partition: a backfill of an old day at 03:00 would pass it while
yesterday is still missing. The partition check asks for the right day, so it stays.
"""

import warnings

from dagster import (
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetsDefinition,
    DefaultSensorStatus,
    SensorDefinition,
    SupersessionWarning,
    build_sensor_for_freshness_checks,
    build_time_partition_freshness_checks,
)

# The schedule runs at 02:00; two hours later the day that just ended should be stored.
DEADLINE_CRON = "0 4 * * *"


def build_freshness_checks(
    assets: list[AssetsDefinition], timezone: str
) -> list[AssetChecksDefinition]:
    """A check per daily asset: once 04:00 has passed in `timezone`, the previous day's
    partition must exist. A late day shows as a failed freshness check (a warning) on the
    asset, with the deadline it missed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SupersessionWarning)
        return list(
            build_time_partition_freshness_checks(
                assets=assets,
                deadline_cron=DEADLINE_CRON,
                timezone=timezone,
                severity=AssetCheckSeverity.WARN,
            )
        )


def build_freshness_sensor(checks: list[AssetChecksDefinition]) -> SensorDefinition:
    """Runs the freshness checks when a deadline passes or the assets change, so a late day is
    flagged without anyone asking. On by default: it only reads the instance, never the API."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SupersessionWarning)
        return build_sensor_for_freshness_checks(
            freshness_checks=checks,
            name="contactship_freshness_sensor",
            default_status=DefaultSensorStatus.RUNNING,
        )
