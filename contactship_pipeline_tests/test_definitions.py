"""The code location loads, and the schedule asks for the day that just ended."""

from datetime import UTC, datetime

import pytest
from dagster import Definitions, build_schedule_context

from contactship_pipeline.definitions import build_definitions
from contactship_pipeline.settings import Settings


def test_definitions_load(monkeypatch):
    monkeypatch.setenv("CONTACTSHIP_API_KEY", "test")
    from contactship_pipeline.definitions import defs

    Definitions.validate_loadable(defs)
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {
        "contactship/calls",
        "contactship/sentiment_daily",
        "contactship/disconnections_daily",
        "contactship/agent_daily",
    }


def test_the_schedule_runs_the_previous_day_at_two_in_the_partition_zone():
    defs = build_definitions(Settings(timezone="America/New_York", start_date="2026-01-01"))
    schedule = defs.resolve_schedule_def("contactship_daily_schedule")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "America/New_York"
    # 02:00 New York on 15 March is 06:00 UTC (daylight saving began on the 8th).
    tick = datetime(2026, 3, 15, 6, 0, tzinfo=UTC)
    (request,) = schedule.evaluate_tick(
        build_schedule_context(scheduled_execution_time=tick)
    ).run_requests
    assert request.partition_key == "2026-03-14"


def test_run_config_for_the_api_must_name_its_url_never_falling_back_to_production(tmp_path):
    from dagster import DagsterInvalidConfigError, materialize

    defs = build_definitions(Settings(data_dir=str(tmp_path), base_url="http://127.0.0.1:9"))
    config = {"api_key": {"env": "CONTACTSHIP_API_KEY"}, "page_size": 50}
    with pytest.raises(DagsterInvalidConfigError, match='Missing required config entry "base_url"'):
        materialize(
            list(defs.assets),
            resources=defs.resources,
            partition_key="2026-03-15",
            selection="contactship/calls",
            run_config={"resources": {"contactship": {"config": config}}},
        )
    assert not (tmp_path / "contactship").exists()
