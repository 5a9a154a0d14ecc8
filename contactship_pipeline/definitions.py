"""The Dagster code location: `dagster dev -w workspace.yaml` loads `defs` from here."""

from dagster import Definitions, EnvVar, in_process_executor

from contactship_pipeline.assets.agents import build_agent_daily_asset
from contactship_pipeline.assets.aggregates import build_aggregate_assets
from contactship_pipeline.assets.calls import build_calls_asset
from contactship_pipeline.checks import build_aggregate_checks, build_calls_checks
from contactship_pipeline.freshness import build_freshness_checks, build_freshness_sensor
from contactship_pipeline.io_manager import ParquetIOManager
from contactship_pipeline.partitions import daily_partitions
from contactship_pipeline.policy import CallsPolicy
from contactship_pipeline.resources import DEFAULT_BASE_URL, ContactshipResource
from contactship_pipeline.schedules import build_daily_job, build_daily_schedule
from contactship_pipeline.sensors import HealingSettings, build_sensors
from contactship_pipeline.settings import Settings


def build_definitions(
    settings: Settings, healing: HealingSettings | None = None, **resources
) -> Definitions:
    """Everything Dagster needs, for one set of settings; `resources` replace the defaults.

    `healing` sets the limits of the self-healing sensors (defaults when None).
    """
    partitions_def = daily_partitions(settings.start_date, settings.timezone)
    daily_job = build_daily_job(partitions_def)
    daily_assets = [
        build_calls_asset(partitions_def, settings.transcripts),
        *build_aggregate_assets(partitions_def),
        build_agent_daily_asset(partitions_def, settings.transcripts.enabled),
    ]
    freshness_checks = build_freshness_checks(daily_assets, settings.timezone)
    return Definitions(
        assets=daily_assets,
        asset_checks=[
            *build_calls_checks(partitions_def),
            *build_aggregate_checks(partitions_def),
            *freshness_checks,
        ],
        jobs=[daily_job],
        schedules=[build_daily_schedule(daily_job)],
        sensors=[
            *build_sensors(partitions_def, healing or HealingSettings()),
            build_freshness_sensor(freshness_checks),
        ],
        # Steps are small and wait on the network: one process per run, not one per step.
        # Beyond one machine, swap in a Kubernetes or Celery executor (see the README).
        executor=in_process_executor,
        resources={
            "contactship": ContactshipResource(
                base_url=settings.base_url or DEFAULT_BASE_URL,
                api_key=EnvVar("CONTACTSHIP_API_KEY"),
            ),
            "calls_policy": calls_policy(settings),
            "parquet_io_manager": ParquetIOManager(base_path=settings.data_dir),
            **resources,
        },
    )


def calls_policy(settings: Settings) -> CallsPolicy:
    """The policy the settings ask for; the hash key is read from the environment at run time."""
    return CallsPolicy(
        personal_data=settings.personal_data,
        rejected_calls=settings.rejected_calls,
        hash_key=EnvVar("CONTACTSHIP_HASH_KEY") if settings.personal_data == "hash" else None,
    )


defs = build_definitions(Settings.from_env(), HealingSettings.from_env())
