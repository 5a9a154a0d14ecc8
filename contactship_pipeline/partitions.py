"""Days, cut in the configured time zone, and the API dates that surely cover one."""

from datetime import UTC, date, datetime, timedelta

from dagster import DailyPartitionsDefinition, TimeWindow

# The API filters by date with no stated zone; a day either side covers any reading of it.
WINDOW_MARGIN = timedelta(days=1)


def daily_partitions(start_date: str, timezone: str) -> DailyPartitionsDefinition:
    """One partition per complete day in `timezone`; today joins once it has ended."""
    return DailyPartitionsDefinition(start_date=start_date, timezone=timezone, end_offset=0)


def covering_dates(window: TimeWindow) -> tuple[date, date]:
    """The inclusive `date_from`/`date_to` to ask the API for, covering `window` with margin."""
    first = window.start.astimezone(UTC) - WINDOW_MARGIN
    last = window.end.astimezone(UTC) - timedelta(microseconds=1) + WINDOW_MARGIN
    return first.date(), last.date()


def window_bounds_utc(window: TimeWindow) -> tuple[datetime, datetime]:
    """The window as UTC instants, `[start, end)`."""
    return window.start.astimezone(UTC), window.end.astimezone(UTC)
