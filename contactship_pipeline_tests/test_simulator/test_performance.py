"""A day of 100,000 calls is generated once and then served page by page without scanning."""

import time
from datetime import date

import requests

from contactship_pipeline.simulator import Simulator

BIG_DAY = date(2026, 4, 2)
PER_DAY = 100_000


def test_pages_of_a_large_day_are_quick():
    with Simulator(seed=3, start_date=BIG_DAY, end_date=BIG_DAY, calls_per_day=PER_DAY) as sim:
        session = requests.Session()
        session.headers["x-api-key"] = sim.api_key
        url = f"{sim.base_url}/v1/calls"
        window = {"date_from": "2026-04-02", "date_to": "2026-04-02", "limit": 100}
        # The first request generates the day; only what follows is timed.
        counted = session.get(url, params={**window, "limit": 0}, timeout=30)
        assert counted.json()["count"] == PER_DAY
        day = sim.calls_for_day(BIG_DAY)

        started = time.monotonic()
        for offset in range(0, PER_DAY, 5_000):
            asc = session.get(url, params={**window, "offset": offset, "order": "asc"}, timeout=5)
            assert asc.json()["data"][0] == day[offset]
            desc = session.get(url, params={**window, "offset": offset}, timeout=5)
            assert desc.json()["data"][0] == day[-1 - offset]
        busy = session.get(url, params={**window, "call_status": "busy", "offset": 900}, timeout=5)
        elapsed = time.monotonic() - started
        session.close()

    assert busy.json()["count"] == sum(call["call_status"] == "busy" for call in day)
    assert elapsed < 3, f"41 pages took {elapsed:.2f}s"
