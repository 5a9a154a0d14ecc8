"""Days whose data take odd shapes still share the one schema and read as one dataset."""

from datetime import UTC, date, datetime

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from contactship_pipeline.schema import CALLS_SCHEMA
from contactship_pipeline_tests.conftest import run_days
from contactship_pipeline_tests.test_faults.conftest import API_KEY, QUICK

DAYS = ["2026-03-14", "2026-03-15", "2026-03-16"]
# One instant written six ways, each on its own call: 12:00:00.123456 UTC (nanoseconds cut).
INSTANT = datetime(2026, 3, 15, 12, 0, 0, 123456, tzinfo=UTC)
FORMS = [
    "2026-03-15T12:00:00.123456Z",
    "2026-03-15T12:00:00.123456+00:00",
    "2026-03-15T12:00:00.123456789Z",
    "2026-03-15T08:00:00.123456-04:00",
    "2026-03-15 12:00:00.123456Z",
    "2026-03-15T17:30:00.123456+05:30",
]


def _reshape(sim) -> dict[str, list[str]]:
    """Make the 14th all nulls, the 15th floats and mixed timestamps, the 16th empty."""
    day14 = sim.calls_for_day(date(2026, 3, 14))
    for call in day14:
        call.update(contact=None, call_analysis=None, campaign_id=None)
    day15 = sim.calls_for_day(date(2026, 3, 15))
    for number, call in enumerate(day15):
        call["duration"] = float(number) + 0.0
        call["start_at"] = FORMS[number % len(FORMS)]
    sim.upsert_calls(day14 + day15)
    sim.delete_calls([call["id"] for call in sim.calls_for_day(date(2026, 3, 16))])
    return {day: [c["id"] for c in sim.calls_for_day(date.fromisoformat(day))] for day in DAYS}


def test_null_days_float_drift_mixed_timestamps_and_an_empty_day_keep_one_schema(sim, tmp_path):
    expected = _reshape(sim)
    run_days(sim.base_url, tmp_path, DAYS, api_key=API_KEY, selection="contactship/calls", **QUICK)

    folder = tmp_path / "contactship" / "calls"
    for day in DAYS:
        table = pq.read_table(folder / f"{day}.parquet")
        assert table.schema.remove_metadata() == CALLS_SCHEMA
        assert table["id"].to_pylist() == expected[day]
    day14 = pq.read_table(folder / "2026-03-14.parquet")
    for column in ("contact_id", "contact_email", "call_analysis_sentiment", "campaign_id"):
        assert day14[column].null_count == day14.num_rows == 30
    day15 = pq.read_table(folder / "2026-03-15.parquet").to_pandas().set_index("id")
    assert day15["duration"].dtype == "int64"
    assert day15["duration"].tolist() == list(range(31))
    assert set(day15["start_at"]) == {pd.Timestamp(INSTANT)}

    total = sum(len(ids) for ids in expected.values())
    assert ds.dataset(folder).to_table().num_rows == total == 61
    assert ds.dataset(folder).schema.remove_metadata() == CALLS_SCHEMA
    assert len(pd.read_parquet(folder)) == total
    query = f"select count(*), count(contact_id) from read_parquet('{folder}/*.parquet')"
    contacts = sum(isinstance(c["contact"], dict) for c in sim.calls_for_day(date(2026, 3, 15)))
    assert duckdb.sql(query).fetchall() == [(total, contacts)]
