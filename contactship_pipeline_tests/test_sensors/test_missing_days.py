"""`missing_days_sensor` against a real instance: which days it asks for, and why."""

import json
import shutil
from contextlib import contextmanager

import pytest
from dagster import instance_for_test

from contactship_pipeline.sensors import HealingSettings
from contactship_pipeline.settings import TranscriptOptions
from contactship_pipeline_tests.conftest import run_days
from contactship_pipeline_tests.test_sensors.conftest import (
    HEALED,
    START,
    STORED,
    WEEK,
    evaluate,
    requested,
    skip_message,
)

pytestmark = pytest.mark.usefixtures("pinned_now")
SENSOR = "missing_days_sensor"


@contextmanager
def moved_away(path):
    """Take a stored file away for the block, then put it back."""
    aside = path.with_name(f".aside-{path.name}")
    shutil.move(path, aside)
    try:
        yield
    finally:
        shutil.move(aside, path)


def _day_file(data_dir, table: str, day: str):
    return data_dir / "contactship" / table / f"{day}.parquet"


def test_asks_for_the_newest_missing_days_up_to_the_bound(store, simulator, capfd):
    instance, data_dir = store
    one = evaluate(SENSOR, instance, data_dir, simulator.base_url, HealingSettings(1))
    assert requested(one) == {key: ["2026-03-12"] for key in HEALED}
    log = capfd.readouterr().err
    assert "3 of 7 days lack something; backfilling the newest 1 (at most 1 per tick)" in log
    assert (
        "2026-03-12: never materialized: contactship/agent_daily, contactship/calls, contactship/d"
        in log
    )
    cursor = json.loads(one.cursor)
    assert cursor["days"] == ["2026-03-12"] and len(cursor["request"]) == 12
    (request,) = one.run_requests
    assert request.tags == {"contactship/healing": SENSOR, "contactship/request": cursor["request"]}

    both = evaluate(SENSOR, instance, data_dir, simulator.base_url, HealingSettings(10))
    assert requested(both) == {key: WEEK[:3] for key in HEALED}


def test_a_deleted_calls_file_brings_the_whole_day_back(store, simulator, capfd):
    instance, data_dir = store
    with moved_away(_day_file(data_dir, "calls", "2026-03-15")):
        result = evaluate(SENSOR, instance, data_dir, simulator.base_url)
    assert requested(result) == {key: [*WEEK[:3], "2026-03-15"] for key in HEALED}
    assert "2026-03-15: file missing: contactship/calls" in capfd.readouterr().err


def test_a_deleted_aggregate_file_asks_for_that_table_alone(store, simulator):
    instance, data_dir = store
    with moved_away(_day_file(data_dir, "sentiment_daily", "2026-03-16")):
        result = evaluate(SENSOR, instance, data_dir, simulator.base_url)
    assert requested(result) == {
        **{key: WEEK[:3] for key in HEALED},
        "contactship/sentiment_daily": [*WEEK[:3], "2026-03-16"],
    }


def test_nothing_missing_is_a_skip_that_forgets_the_last_request(store, simulator):
    instance, data_dir = store
    old = json.dumps({"request": "0123456789ab", "days": ["2026-03-13"]})
    result = evaluate(
        SENSOR, instance, data_dir, simulator.base_url, cursor=old, start_date=STORED[0]
    )
    assert requested(result) == {}
    assert skip_message(result) == "all 4 days from 2026-03-13 to 2026-03-16 are stored"
    assert json.loads(result.cursor)["request"] is None


def test_a_day_whose_last_run_failed_is_missing_though_its_file_is_there(
    simulator, tmp_path, capfd
):
    with instance_for_test() as instance:
        run_days(simulator.base_url, tmp_path, ["2026-03-16"], start_date=START, instance=instance)
        (failed,) = run_days(
            simulator.base_url,
            tmp_path,
            ["2026-03-16"],
            api_key="wrong-key",
            start_date=START,
            instance=instance,
            raise_on_error=False,
        )
        assert not failed.success
        assert _day_file(tmp_path, "calls", "2026-03-16").exists()
        result = evaluate(SENSOR, instance, tmp_path, simulator.base_url, start_date="2026-03-15")
    assert requested(result) == {key: ["2026-03-15", "2026-03-16"] for key in HEALED}
    assert "2026-03-16: last run failed: contactship/agent_daily, contactship/calls" in (
        capfd.readouterr().err
    )


def test_a_deleted_transcript_file_reloads_it_and_what_reads_it(simulator, tmp_path):
    transcripts = TranscriptOptions(enabled=True)
    day = "2026-03-16"
    with instance_for_test() as instance:
        run_days(
            simulator.base_url,
            tmp_path,
            [day],
            start_date=day,
            instance=instance,
            transcripts=transcripts,
        )
        with moved_away(_day_file(tmp_path, "call_turns", day)):
            result = evaluate(
                SENSOR,
                instance,
                tmp_path,
                simulator.base_url,
                start_date=day,
                transcripts=transcripts,
            )
    assert requested(result) == {"contactship/agent_daily": [day], "contactship/call_turns": [day]}
