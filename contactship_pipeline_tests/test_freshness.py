"""A day that has not arrived by 04:00 is flagged late; once stored, it is not."""

from datetime import UTC, datetime, timedelta

import pytest
from dagster import AssetCheckKey, AssetKey, DagsterInstance, RunRequest, build_sensor_context

from contactship_pipeline.definitions import build_definitions
from contactship_pipeline.settings import Settings
from contactship_pipeline_tests.conftest import run_days

DAILY = ("calls", "sentiment_daily", "disconnections_daily", "agent_daily")


def _expected_day(now: datetime) -> str:
    """The day that must be stored by now: the day before the latest 04:00 UTC passed."""
    deadline = now.replace(hour=4, minute=0, second=0, microsecond=0)
    if deadline > now:
        deadline -= timedelta(days=1)
    return (deadline - timedelta(days=1)).date().isoformat()


def _freshness(result) -> dict[str, tuple[bool, str]]:
    return {
        e.asset_key.path[-1]: (e.passed, e.description)
        for e in result.get_asset_check_evaluations()
        if e.check_name == "freshness_check"
    }


def test_the_latest_day_is_late_until_it_is_stored(simulator, tmp_path):
    now = datetime.now(UTC)
    day = _expected_day(now)
    if _expected_day(now + timedelta(minutes=2)) != day:
        pytest.skip("too close to the 04:00 deadline for the expected day to be certain")
    start = (now - timedelta(days=5)).date().isoformat()
    instance = DagsterInstance.ephemeral()
    run = dict(start_date=start, instance=instance, checks=True)

    # An older day arrives: the latest one is still missing, so every daily asset is late.
    older = (datetime.fromisoformat(day) - timedelta(days=2)).date().isoformat()
    (result,) = run_days(simulator.base_url, tmp_path, [older], **run)
    late = f"Asset is overdue. We expected partition {day} to have arrived, and it has not."
    assert _freshness(result) == {name: (False, late) for name in DAILY}
    assert result.success  # a late day is a warning, not a failed run

    (result,) = run_days(simulator.base_url, tmp_path, [day], **run)
    assert {name: passed for name, (passed, _) in _freshness(result).items()} == dict.fromkeys(
        DAILY, True
    )


def test_the_freshness_sensor_asks_for_every_daily_check_and_is_on_by_default(tmp_path):
    defs = build_definitions(Settings(data_dir=str(tmp_path)))
    sensor = defs.resolve_sensor_def("contactship_freshness_sensor")
    assert sensor.default_status.value == "RUNNING"
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(instance=instance, definitions=defs)
        request = sensor(context)
    assert isinstance(request, RunRequest)
    assert set(request.asset_check_keys) == {
        AssetCheckKey(AssetKey(["contactship", name]), "freshness_check") for name in DAILY
    }
