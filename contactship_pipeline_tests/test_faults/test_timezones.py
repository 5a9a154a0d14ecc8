"""Days cut in America/New_York: the 23-hour and 25-hour days hold exactly their calls."""

import copy
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq
import pytest

from contactship_pipeline.partitions import daily_partitions
from contactship_pipeline.simulator import Simulator
from contactship_pipeline_tests.conftest import run_days
from contactship_pipeline_tests.test_faults.conftest import API_KEY, QUICK

NEW_YORK = "America/New_York"

# (created_at as sent, the New York day it belongs to)
SPRING = {
    "2026-03-08T04:59:59.999999Z": "2026-03-07",  # 23:59:59.999999 EST
    "2026-03-08T05:00:00Z": "2026-03-08",  # midnight EST
    "2026-03-08T06:59:59Z": "2026-03-08",  # 01:59:59 EST, just before the clocks jump
    "2026-03-08T07:00:00Z": "2026-03-08",  # 03:00 EDT, just after
    "2026-03-08T23:30:00-04:00": "2026-03-08",  # the same zone, written as an offset
    "2026-03-09T03:59:59.999999Z": "2026-03-08",  # 23:59:59.999999 EDT
    "2026-03-09T04:00:00Z": "2026-03-09",  # midnight EDT
}
AUTUMN = {
    "2026-11-01T03:59:59.999999Z": "2026-10-31",  # 23:59:59.999999 EDT
    "2026-11-01T04:00:00Z": "2026-11-01",  # midnight EDT
    "2026-11-01T05:30:00Z": "2026-11-01",  # 01:30 EDT, the first time
    "2026-11-01T01:30:00-05:00": "2026-11-01",  # 01:30 EST, the second time
    "2026-11-02T04:59:59.999999Z": "2026-11-01",  # 23:59:59.999999 EST
    "2026-11-02T05:00:00Z": "2026-11-02",  # midnight EST
}


def _boundary_calls(sim: Simulator, times: dict[str, str]) -> dict[str, str]:
    """Add one call at each time; return call id -> its New York day."""
    template = sim.all_calls()[0]
    days = {}
    calls = []
    for number, (created_at, day) in enumerate(times.items()):
        call = copy.deepcopy(template)
        call.update(id=f"0000dddd-0000-4000-8000-{number:012d}", created_at=created_at)
        calls.append(call)
        days[call["id"]] = day
    sim.upsert_calls(calls)
    return days


def _new_york_days(sim: Simulator, first: date, last: date) -> dict[str, list[str]]:
    """Each New York day's ids, worked out call by call with zoneinfo."""
    zone = ZoneInfo(NEW_YORK)
    by_day: dict[str, list[tuple]] = {}
    for call in sim.all_calls():
        instant = datetime.fromisoformat(call["created_at"].replace("Z", "+00:00"))
        day = instant.astimezone(zone).date()
        if first <= day <= last:
            by_day.setdefault(day.isoformat(), []).append((instant, call["id"]))
    return {day: [call_id for _, call_id in sorted(calls)] for day, calls in by_day.items()}


@pytest.mark.parametrize(
    ("sim_days", "times", "partitions", "hours"),
    [
        (
            (date(2026, 3, 6), date(2026, 3, 10)),
            SPRING,
            ["2026-03-07", "2026-03-08", "2026-03-09"],
            [24, 23, 24],
        ),
        (
            (date(2026, 10, 30), date(2026, 11, 3)),
            AUTUMN,
            ["2026-10-31", "2026-11-01", "2026-11-02"],
            [24, 25, 24],
        ),
    ],
    ids=["spring forward", "fall back"],
)
def test_days_around_a_clock_change_hold_exactly_their_calls(
    tmp_path, sim_days, times, partitions, hours
):
    windows = [
        daily_partitions("2026-01-01", NEW_YORK).time_window_for_partition_key(p)
        for p in partitions
    ]
    assert [(w.end.timestamp() - w.start.timestamp()) / 3600 for w in windows] == hours

    with Simulator(
        seed=5, start_date=sim_days[0], end_date=sim_days[1], calls_per_day=12, api_key=API_KEY
    ) as sim:
        boundary = _boundary_calls(sim, times)
        run_days(
            sim.base_url,
            tmp_path,
            partitions,
            api_key=API_KEY,
            timezone=NEW_YORK,
            selection="contactship/calls",
            **QUICK,
        )
        expected = _new_york_days(
            sim, *(date.fromisoformat(p) for p in (partitions[0], partitions[-1]))
        )

    folder = tmp_path / "contactship" / "calls"
    stored = {p: pq.read_table(folder / f"{p}.parquet")["id"].to_pylist() for p in partitions}
    assert stored == expected
    for call_id, day in boundary.items():
        assert [p for p in partitions if call_id in stored[p]] == [day]
