"""Sensors that keep the store whole and current, so nobody has to notice a gap.

`missing_days_sensor` backfills days that are not stored; `late_changes_sensor` backfills
recent days that changed at the API after they were loaded. Both start stopped.
"""

from dagster import SensorDefinition

from contactship_pipeline.sensors.late_changes import build_late_changes_sensor
from contactship_pipeline.sensors.missing_days import build_missing_days_sensor
from contactship_pipeline.sensors.settings import HealingSettings


def build_sensors(partitions_def, settings: HealingSettings) -> list[SensorDefinition]:
    """Both self-healing sensors for the daily partitions."""
    return [
        build_missing_days_sensor(partitions_def, settings),
        build_late_changes_sensor(partitions_def, settings),
    ]


__all__ = ["HealingSettings", "build_sensors"]
