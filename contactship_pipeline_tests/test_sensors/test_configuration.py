"""How the sensors are set up: registered stopped, limits from the environment and the README,
and which UTC dates are compared for a day."""

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from dagster import DailyPartitionsDefinition, DefaultSensorStatus

from contactship_pipeline.definitions import build_definitions
from contactship_pipeline.sensors import HealingSettings
from contactship_pipeline.sensors.settings import ENVIRONMENT
from contactship_pipeline.sensors.spans import span_for
from contactship_pipeline.sensors.stored import CALLS, healed_keys
from contactship_pipeline.settings import Settings, SettingsError, TranscriptOptions

README = Path(__file__).parents[2] / "README.md"


def test_both_sensors_are_registered_stopped_with_the_configured_intervals():
    healing = HealingSettings(missing_days_interval_s=60, recheck_interval_s=600)
    defs = build_definitions(Settings(start_date="2026-03-10"), healing)
    missing = defs.resolve_sensor_def("missing_days_sensor")
    late = defs.resolve_sensor_def("late_changes_sensor")
    assert missing.default_status == late.default_status == DefaultSensorStatus.STOPPED
    assert (missing.minimum_interval_seconds, late.minimum_interval_seconds) == (60, 600)


@pytest.mark.parametrize(
    ("transcripts", "fetched"),
    [
        (TranscriptOptions(), set()),
        (
            TranscriptOptions(enabled=True, words=True),
            {"contactship/call_turns", "contactship/call_words"},
        ),
    ],
)
def test_the_healed_tables_are_what_the_calls_fetch_writes_and_all_built_on_it(
    transcripts, fetched
):
    settings = Settings(start_date="2026-03-10", transcripts=transcripts)
    graph = build_definitions(settings).resolve_asset_graph()
    partitions = graph.get(CALLS).partitions_def
    assert {key.to_user_string() for key in healed_keys(graph, partitions)} == {
        "contactship/calls",
        "contactship/sentiment_daily",
        "contactship/disconnections_daily",
        "contactship/agent_daily",
        *fetched,
    }


def test_the_readme_lists_every_setting_with_its_default():
    section = README.read_text().split("## Self-healing sensors", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `(CONTACTSHIP_\w+)` \| (\d+) \|", section, flags=re.M))
    defaults = {
        ENVIRONMENT[field.name]: str(field.default) for field in dataclasses.fields(HealingSettings)
    }
    assert rows == defaults


def test_settings_come_from_the_environment_with_defaults():
    assert HealingSettings.from_env({}) == HealingSettings(10, 300, 7, 40, 1800)
    env = {
        "CONTACTSHIP_MISSING_DAYS_PER_TICK": "3",
        "CONTACTSHIP_MISSING_DAYS_INTERVAL_S": "60",
        "CONTACTSHIP_RECHECK_DAYS": "14",
        "CONTACTSHIP_RECHECK_REQUESTS_PER_TICK": " 100 ",
        "CONTACTSHIP_RECHECK_INTERVAL_S": "",
    }
    assert HealingSettings.from_env(env) == HealingSettings(3, 60, 14, 100, 1800)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CONTACTSHIP_RECHECK_DAYS", "seven", "CONTACTSHIP_RECHECK_DAYS='seven' must be a whole"),
        ("CONTACTSHIP_MISSING_DAYS_PER_TICK", "0", "CONTACTSHIP_MISSING_DAYS_PER_TICK=0 must be"),
        ("CONTACTSHIP_RECHECK_INTERVAL_S", "-5", "CONTACTSHIP_RECHECK_INTERVAL_S='-5' must be"),
        (
            "CONTACTSHIP_RECHECK_REQUESTS_PER_TICK",
            "3",
            "CONTACTSHIP_RECHECK_REQUESTS_PER_TICK=3 cannot check even one day",
        ),
    ],
)
def test_a_bad_setting_names_its_variable(variable, value, message):
    with pytest.raises(SettingsError, match=message):
        HealingSettings.from_env({variable: value})


def _keys(timezone: str) -> tuple[DailyPartitionsDefinition, list[str]]:
    partitions = DailyPartitionsDefinition(start_date="2026-03-10", timezone=timezone)
    now = datetime(2026, 3, 17, 12, tzinfo=UTC)
    return partitions, list(partitions.get_partition_keys(current_time=now))


def test_in_utc_a_day_is_compared_alone():
    partitions, keys = _keys("UTC")
    for day in ("2026-03-10", "2026-03-16"):
        span = span_for(partitions, keys, day)
        assert (span.date_from, span.date_to, span.days) == (
            date.fromisoformat(day),
            date.fromisoformat(day),
            [day],
        )
        midnight = datetime.fromisoformat(f"{day}T00:00:00+00:00")
        assert (span.start, span.end) == (midnight, midnight + timedelta(days=1))


def test_elsewhere_a_day_is_compared_with_its_neighbours_once_they_are_stored():
    new_york, keys = _keys("America/New_York")
    # 15 March in New York is 04:00 UTC on the 15th to 04:00 UTC on the 16th (daylight time).
    span = span_for(new_york, keys, "2026-03-15")
    assert (span.date_from, span.date_to) == (date(2026, 3, 15), date(2026, 3, 16))
    assert span.days == ["2026-03-14", "2026-03-15", "2026-03-16"]
    assert span_for(new_york, keys, "2026-03-16") is None  # 17 March is not over yet
    assert span_for(new_york, keys, "2026-03-10") is None  # its UTC date began on the 9th

    tokyo, keys = _keys("Asia/Tokyo")
    span = span_for(tokyo, keys, "2026-03-15")
    assert (span.date_from, span.date_to) == (date(2026, 3, 14), date(2026, 3, 15))
    assert span.days == ["2026-03-14", "2026-03-15", "2026-03-16"]
