"""Days, cut in the configured time zone, and the API dates that surely cover one."""

from datetime import UTC, date, datetime, timedelta

from dagster import DailyPartitionsDefinition, TimeWindow

# The API filters by date with no stated zone; a day either side covers any reading of it.
WINDOW_MARGIN = timedelta(days=1)


def daily_partitions(start_date: str, timezone: str) -> DailyPartitionsDefinition:
    """One partition per complete day in `timezone`; today joins once it has ended."""
    return DailyPartitionsDefinition(start_date=start_date, timezone=timezone, end_offset=0)


def covering_dates(window: TimeWindow, now: datetime | None = None) -> tuple[date, date]:
    """The inclusive `date_from`/`date_to` to ask the API for, covering `window` with margin.

    The margin never reaches into a UTC date that has not ended yet: its calls are still
    arriving, so its count would change under the pages and the count check would fail every
    time the day just ended is loaded. The window's own UTC dates are always asked for.
    """
    first = window.start.astimezone(UTC) - WINDOW_MARGIN
    own_last = (window.end.astimezone(UTC) - timedelta(microseconds=1)).date()
    last_closed = (now or datetime.now(UTC)).astimezone(UTC).date() - timedelta(days=1)
    last = max(own_last, min(own_last + WINDOW_MARGIN, last_closed))
    return first.date(), last


def window_bounds_utc(window: TimeWindow) -> tuple[datetime, datetime]:
    """The window as UTC instants, `[start, end)`."""
    return window.start.astimezone(UTC), window.end.astimezone(UTC)
