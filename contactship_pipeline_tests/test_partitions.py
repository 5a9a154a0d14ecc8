"""The API dates asked for a day: a day either side, but never a UTC date still open."""

from datetime import UTC, date, datetime

from dagster import TimeWindow

from contactship_pipeline.partitions import covering_dates, daily_partitions

LATER = datetime(2026, 6, 1, tzinfo=UTC)


def _window(day: str, timezone: str = "UTC") -> TimeWindow:
    partitions = daily_partitions("2026-01-01", timezone)
    return partitions.time_window_for_partition_key(day)


def test_a_closed_day_is_asked_with_a_day_either_side():
    assert covering_dates(_window("2026-03-15"), LATER) == (date(2026, 3, 14), date(2026, 3, 16))


def test_the_day_that_just_ended_does_not_reach_into_today():
    at_two = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)
    assert covering_dates(_window("2026-03-15"), at_two) == (date(2026, 3, 14), date(2026, 3, 15))


def test_a_day_in_a_zone_behind_utc_still_asks_for_all_its_utc_dates():
    # 15 March in New York runs to 04:00 UTC on the 16th, which must be asked for.
    at_five = datetime(2026, 3, 16, 5, 0, tzinfo=UTC)
    window = _window("2026-03-15", "America/New_York")
    assert covering_dates(window, at_five) == (date(2026, 3, 14), date(2026, 3, 16))
    assert covering_dates(window, LATER) == (date(2026, 3, 14), date(2026, 3, 17))
