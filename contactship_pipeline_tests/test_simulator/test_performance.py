"""A large day is generated once and then served page by page, in both orders, exactly.

Speed is measured by `make bench`, never asserted here."""

from datetime import date

import requests

from contactship_pipeline.simulator import Simulator

BIG_DAY = date(2026, 4, 2)
PER_DAY = 20_000


def test_pages_of_a_large_day_are_exact_in_both_orders():
    with Simulator(seed=3, start_date=BIG_DAY, end_date=BIG_DAY, calls_per_day=PER_DAY) as sim:
        session = requests.Session()
        session.headers["x-api-key"] = sim.api_key
        url = f"{sim.base_url}/v1/calls"
        window = {"date_from": "2026-04-02", "date_to": "2026-04-02", "limit": 100}
        counted = session.get(url, params={**window, "limit": 0}, timeout=30)
        assert counted.json()["count"] == PER_DAY
        day = sim.calls_for_day(BIG_DAY)

        for offset in range(0, PER_DAY, 1_000):
            asc = session.get(url, params={**window, "offset": offset, "order": "asc"}, timeout=5)
            assert asc.json()["data"][0] == day[offset]
            desc = session.get(url, params={**window, "offset": offset}, timeout=5)
            assert desc.json()["data"][0] == day[-1 - offset]
        busy = session.get(url, params={**window, "call_status": "busy", "offset": 900}, timeout=5)
        session.close()

    assert busy.json()["count"] == sum(call["call_status"] == "busy" for call in day)
