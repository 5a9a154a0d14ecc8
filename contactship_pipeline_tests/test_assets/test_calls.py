"""The calls asset against the simulator: exact ids, one schema, clear failures."""

import json
from datetime import date

import pandas as pd
import pyarrow.parquet as pq
import pytest
from dagster import DagsterInstance

from contactship_pipeline.api import ContactshipAuthError
from contactship_pipeline.schema import CALLS_SCHEMA
from contactship_pipeline_tests.conftest import API_KEY, SIM_END, SIM_START, day_ids, run_days

EXAMPLE_ID = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"


def _sim_ids(simulator, day: str) -> list[str]:
    return [call["id"] for call in simulator.calls_for_day(date.fromisoformat(day))]


def test_each_day_holds_exactly_the_calls_created_that_day(simulator, tmp_path):
    days = ["2026-03-10", "2026-03-13", "2026-03-15", "2026-03-16"]
    run_days(simulator.base_url, tmp_path, days, selection="contactship/calls")
    for day in days:
        ids = day_ids(tmp_path, day)
        assert ids == _sim_ids(simulator, day)
        assert len(ids) == len(set(ids))
    # 40 generated calls a day, and the vendor page's example call on 2026-03-15.
    assert [len(day_ids(tmp_path, d)) for d in days] == [40, 40, 41, 40]


def test_the_schema_is_the_same_on_every_day_and_on_an_empty_day(simulator, tmp_path):
    days = ["2026-03-09", "2026-03-14", "2026-03-17"]  # before, inside, after the simulated days
    run_days(simulator.base_url, tmp_path, days, selection="contactship/calls")
    folder = tmp_path / "contactship" / "calls"
    schemas = [pq.read_schema(folder / f"{day}.parquet").remove_metadata() for day in days]
    assert schemas == [CALLS_SCHEMA] * 3
    assert [pq.read_metadata(folder / f"{day}.parquet").num_rows for day in days] == [0, 40, 0]


def test_the_vendor_example_call_round_trips_field_by_field(simulator, tmp_path):
    run_days(simulator.base_url, tmp_path, ["2026-03-15"], selection="contactship/calls")
    calls = pq.read_table(tmp_path / "contactship/calls/2026-03-15.parquet").to_pylist()
    (row,) = [call for call in calls if call["id"] == EXAMPLE_ID]
    assert row == {
        "id": EXAMPLE_ID,
        "created_at": pd.Timestamp("2026-03-15T14:30:00Z").to_pydatetime(),
        "start_at": pd.Timestamp("2026-03-15T14:30:05Z").to_pydatetime(),
        "finished_at": pd.Timestamp("2026-03-15T14:35:22Z").to_pydatetime(),
        "duration": 317,
        "direction": "outbound",
        "type": "ai_call",
        "call_status": "completed",
        "call_result": "answered",
        "disconnection_reason": "agent_hangup",
        "call_analysis_summary": (
            "Customer expressed interest in the premium plan and requested a demo."
        ),
        "call_analysis_sentiment": "positive",
        "agent_id": "f1e2d3c4-b5a6-7890-1234-567890abcdef",
        "campaign_id": None,
        "from": "+12025551234",
        "call_record": "https://api.contactship.ai/recordings/a1b2c3d4.mp3",
        "contact_id": "c1d2e3f4-a5b6-7890-cdef-123456789012",
        "contact_full_name": "Jane Smith",
        "contact_phone_number": "+14155552678",
        "contact_email": "jane.smith@example.com",
        "contact_country": "US",
        "extra_fields": None,
    }


def test_paging_is_complete_when_the_server_clamps_the_limit(tmp_path):
    from contactship_pipeline.simulator import Simulator

    with Simulator(
        seed=3,
        start_date=SIM_START,
        end_date=SIM_START,
        calls_per_day=95,
        max_page_size=10,
        api_key=API_KEY,
    ) as sim:
        run_days(
            sim.base_url,
            tmp_path,
            [SIM_START.isoformat()],
            page_size=100,
            selection="contactship/calls",
        )
        pages = [r for r in sim.requests if r["params"].get("limit") == "100"]
    assert day_ids(tmp_path, SIM_START.isoformat()) == _sim_ids(sim, SIM_START.isoformat())
    # The window holds the day (95 calls) and the next, empty one; 10 a page.
    assert len(pages) == 10


def test_a_wrong_key_fails_clearly_writes_nothing_and_never_shows_the_key(
    simulator, tmp_path, capfd
):
    secret = "wrong-key-4242-secret"
    instance = DagsterInstance.ephemeral()
    with pytest.raises(ContactshipAuthError) as raised:
        run_days(
            simulator.base_url,
            tmp_path,
            ["2026-03-15"],
            api_key=secret,
            instance=instance,
            selection="contactship/calls",
        )
    assert "CONTACTSHIP_API_KEY" in str(raised.value)
    assert "401" in str(raised.value)
    assert not (tmp_path / "contactship").exists()
    events = [
        json.dumps(str(record)) for record in instance.all_logs(instance.get_runs()[0].run_id)
    ]
    assert events and not any(secret in event for event in events)
    printed = capfd.readouterr()
    assert "401" in printed.err and secret not in printed.out + printed.err
    assert secret not in str(raised.value)


def test_an_invalid_filter_is_refused_before_any_request(simulator, tmp_path):
    before = len(simulator.requests)
    with pytest.raises(Exception, match="call_status 'done' is not one of in-progress"):
        run_days(simulator.base_url, tmp_path, ["2026-03-15"], call_status="done")
    assert len(simulator.requests) == before
    assert not (tmp_path / "contactship").exists()


def test_a_failed_run_leaves_the_previous_file_intact(simulator, tmp_path):
    run_days(simulator.base_url, tmp_path, ["2026-03-14"], selection="contactship/calls")
    path = tmp_path / "contactship/calls/2026-03-14.parquet"
    before = path.read_bytes()
    with pytest.raises(ContactshipAuthError):
        run_days(
            simulator.base_url,
            tmp_path,
            ["2026-03-14"],
            api_key="nope",
            selection="contactship/calls",
        )
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["2026-03-14.parquet"]


def test_the_simulated_week_ends_on_its_last_day(simulator):
    assert simulator.calls_for_day(SIM_END) and not simulator.calls_for_day(date(2026, 3, 17))
