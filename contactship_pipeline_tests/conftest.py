"""Shared fixtures: the loopback simulator and a way to materialize days through Dagster."""

from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from dagster import DagsterInstance, materialize

from contactship_pipeline.definitions import build_definitions
from contactship_pipeline.policy import CallsPolicy
from contactship_pipeline.resources import ContactshipResource
from contactship_pipeline.settings import Settings, TranscriptOptions

SIM_START = date(2026, 3, 10)
SIM_END = date(2026, 3, 16)
API_KEY = "test-key-5f1b2c"


@pytest.fixture(scope="session")
def simulator():
    """Seven days of deterministic calls, 40 a day, pages clamped at 100."""
    from contactship_pipeline.simulator import Simulator

    with Simulator(
        seed=7, start_date=SIM_START, end_date=SIM_END, calls_per_day=40, api_key=API_KEY
    ) as sim:
        yield sim


def run_days(
    base_url: str,
    data_dir: Path,
    partitions: list[str],
    *,
    api_key: str = API_KEY,
    timezone: str = "UTC",
    start_date: str = "2026-03-01",
    selection: str | list[str] | None = None,
    instance: DagsterInstance | None = None,
    policy: CallsPolicy | None = None,
    raise_on_error: bool = True,
    transcripts: TranscriptOptions | None = None,
    checks: bool = False,
    **resource_settings,
):
    """Materialize each partition through Dagster with the real resource and IO manager;
    with `checks`, the asset checks of `checks.py` and `freshness.py` run too."""
    settings = Settings(
        data_dir=str(data_dir),
        timezone=timezone,
        start_date=start_date,
        base_url=base_url,
        transcripts=transcripts or TranscriptOptions(),
    )
    defs = build_definitions(
        settings,
        contactship=ContactshipResource(base_url=base_url, api_key=api_key, **resource_settings),
        calls_policy=policy or CallsPolicy(),
    )
    assets = [*defs.assets, *(defs.asset_checks if checks else [])]
    results = []
    for partition in partitions:
        results.append(
            materialize(
                assets,
                resources=defs.resources,
                partition_key=partition,
                selection=selection,
                instance=instance,
                raise_on_error=raise_on_error,
            )
        )
    return results


def read_day(data_dir: Path, asset: str, day: str) -> pd.DataFrame:
    return pq.read_table(data_dir / "contactship" / asset / f"{day}.parquet").to_pandas()


def day_ids(data_dir: Path, day: str) -> list[str]:
    return read_day(data_dir, "calls", day)["id"].tolist()


def raw_calls(simulator, day: str, **include: str) -> list[dict]:
    """The day's calls straight from the API, paged by hand: none of the pipeline's code.

    `include` adds query parameters, such as `include_transcript="true"`.
    """
    import requests

    calls, offset = [], 0
    while True:
        params = {"date_from": day, "date_to": day, "order": "asc", "limit": 100, "offset": offset}
        page = requests.get(
            f"{simulator.base_url}/v1/calls",
            params={**params, **include},
            headers={"x-api-key": simulator.api_key},
            timeout=10,
        ).json()
        calls += page["data"]
        offset += len(page["data"])
        if not page["data"] or offset >= page["count"]:
            return calls
