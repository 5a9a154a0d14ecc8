"""The UTC dates the API can count for a day, and the stored days that hold them."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta


@dataclass(frozen=True)
class Span:
    """Whole UTC dates covering one partition: what the API can count, and the stored days
    (the partition and, outside UTC, its neighbours) that hold those dates' calls."""

    date_from: date
    date_to: date
    days: list[str]

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, datetime.min.time(), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.date_to + timedelta(days=1), datetime.min.time(), tzinfo=UTC)


def span_for(partitions_def, complete: list[str], day: str) -> Span | None:
    """The UTC dates the API is asked about for `day`; None if they reach past stored days.

    In UTC a partition is one date and its span is itself. Elsewhere a partition touches two
    UTC dates, whose calls also sit in the neighbouring partitions; the newest day waits until
    the next one is complete.
    """
    window = partitions_def.time_window_for_partition_key(day)
    first = window.start.astimezone(UTC).date()
    last = (window.end.astimezone(UTC) - timedelta(microseconds=1)).date()
    span = Span(first, last, [])
    index = complete.index(day)
    neighbours = complete[max(index - 1, 0) : index + 2]
    windows = {key: partitions_def.time_window_for_partition_key(key) for key in neighbours}
    days = [key for key, w in windows.items() if w.start < span.end and w.end > span.start]
    if windows[days[0]].start > span.start or windows[days[-1]].end < span.end:
        return None
    return Span(first, last, days)
