"""A pinned week: the session simulator's days, `now` just after they end, sensors to call."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dagster import (
    DagsterInstance,
    SensorResult,
    SkipReason,
    build_sensor_context,
    instance_for_test,
    partition_loading_context,
)

from contactship_pipeline.definitions import build_definitions
from contactship_pipeline.resources import ContactshipResource
from contactship_pipeline.sensors import HealingSettings
from contactship_pipeline.settings import Settings, TranscriptOptions
from contactship_pipeline.simulator import Simulator
from contactship_pipeline_tests.conftest import API_KEY, SIM_END, SIM_START, run_days

# 03:00 UTC on 17 March 2026: the complete days are 10 to 16 March, the simulator's week.
NOW = datetime(2026, 3, 17, 3, 0, tzinfo=UTC)
START = SIM_START.isoformat()
WEEK = [f"2026-03-{day}" for day in range(10, 17)]
CALLS = "contactship/calls"
HEALED = (
    "contactship/agent_daily",
    "contactship/calls",
    "contactship/disconnections_daily",
    "contactship/sentiment_daily",
)
# Days the shared store holds; 10, 11 and 12 March were never loaded.
STORED = WEEK[3:]


@pytest.fixture(scope="package")
def store(simulator, tmp_path_factory) -> Iterator[tuple[DagsterInstance, Path]]:
    """A Dagster instance and data folder holding `STORED`, loaded from the session simulator.

    Shared: a test that deletes a file puts it back.
    """
    data_dir = tmp_path_factory.mktemp("sensor-store")
    with instance_for_test() as instance:
        run_days(simulator.base_url, data_dir, STORED, start_date=START, instance=instance)
        yield instance, data_dir


@pytest.fixture
def pinned_now() -> Iterator[None]:
    """Partitions are read as of `NOW` (modules that use it say `pytestmark`)."""
    with partition_loading_context(effective_dt=NOW):
        yield


def make_simulator() -> Simulator:
    """A simulator serving exactly what the session `simulator` serves, free to be changed."""
    return Simulator(
        seed=7, start_date=SIM_START, end_date=SIM_END, calls_per_day=40, api_key=API_KEY
    )


def evaluate(
    sensor_name: str,
    instance: DagsterInstance,
    data_dir: Path,
    base_url: str,
    healing: HealingSettings | None = None,
    cursor: str | None = None,
    start_date: str = START,
    transcripts: TranscriptOptions | None = None,
    **resource_settings,
) -> SensorResult | SkipReason:
    """One evaluation of a sensor of the project's definitions, against a real instance."""
    settings = Settings(
        data_dir=str(data_dir),
        start_date=start_date,
        base_url=base_url,
        transcripts=transcripts or TranscriptOptions(),
    )
    resource = ContactshipResource(base_url=base_url, api_key=API_KEY, **resource_settings)
    defs = build_definitions(settings, healing, contactship=resource)
    sensor = defs.resolve_sensor_def(sensor_name)
    with build_sensor_context(
        instance=instance, definitions=defs, resources=defs.resources, cursor=cursor
    ) as context:
        return sensor(context)


def requested(result: SensorResult | SkipReason) -> dict[str, list[str]]:
    """The asset backfill a sensor result asks for: partition keys per asset; {} for none."""
    if not isinstance(result, SensorResult) or not result.run_requests:
        return {}
    (request,) = result.run_requests
    subsets = request.asset_graph_subset.partitions_subsets_by_asset_key
    return {
        key.to_user_string(): sorted(subset.get_partition_keys()) for key, subset in subsets.items()
    }


def skip_message(result: SensorResult | SkipReason) -> str:
    reason = result if isinstance(result, SkipReason) else result.skip_reason
    return reason.skip_message
