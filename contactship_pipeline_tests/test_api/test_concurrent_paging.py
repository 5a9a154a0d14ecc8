"""Pages fetched concurrently: the day still holds exactly its calls, once each.

A day of 300 calls served 10 at a time is 30 pages; with `max_concurrency=8` the 29 pages after
the first are fetched by eight threads at once, while the simulator changes the day under them.
"""

import itertools
import threading
from datetime import date

import pytest

from contactship_pipeline.simulator import Fault, Simulator
from contactship_pipeline_tests.conftest import API_KEY, day_ids, run_days

DAY = date(2026, 3, 12)
PARTITION = DAY.isoformat()
CALLS = 300
PAGE = 10


@pytest.fixture
def sim():
    with Simulator(
        seed=21,
        start_date=DAY,
        end_date=DAY,
        calls_per_day=CALLS,
        max_page_size=PAGE,
        api_key=API_KEY,
    ) as simulator:
        yield simulator


def _run(sim, tmp_path, concurrency=8):
    run_days(
        sim.base_url,
        tmp_path,
        [PARTITION],
        page_size=PAGE,
        max_concurrency=concurrency,
        backoff_factor_s=0.01,
        selection="contactship/calls",
    )
    return day_ids(tmp_path, PARTITION)


def _sim_ids(sim) -> list[str]:
    return [call["id"] for call in sim.calls_for_day(DAY)]


def _page_requests(sim) -> list[dict]:
    return [r["params"] for r in sim.requests if r["params"].get("limit") != "0"]


def test_eight_pages_are_in_flight_at_once_and_every_call_lands_once(sim, tmp_path):
    # Eight requests past the first page must reach the server together, or the barrier breaks.
    barrier = threading.Barrier(8, timeout=20)
    tickets = itertools.count()
    met = []

    def hold(index, params):
        if params.get("offset") != "0" and params.get("limit") != "0" and next(tickets) < 8:
            met.append(barrier.wait())

    sim.on_request(hold)
    ids = _run(sim, tmp_path)
    assert sorted(met) == list(range(8))
    assert ids == _sim_ids(sim)
    assert len(ids) == CALLS
    offsets = sorted(int(p["offset"]) for p in _page_requests(sim))
    assert offsets == list(range(0, CALLS, PAGE))


def test_calls_inserted_mid_run_are_all_kept_once(sim, tmp_path):
    first = sim.calls_for_day(DAY)[0]
    early = [
        {**first, "id": f"inserted-{n}", "created_at": f"2026-03-12T00:00:00.00000{n}Z"}
        for n in range(3)
    ]
    inserted = []

    def insert(index, params):
        # Created before every other call of the day: each later offset shifts by three, and
        # the first page, already read, never shows them.
        if params.get("offset") == "100" and not inserted:
            inserted.append(sim.upsert_calls(early))

    sim.on_request(insert)
    ids = _run(sim, tmp_path)
    assert inserted == [3]
    assert ids == _sim_ids(sim)
    assert ids[:3] == ["inserted-0", "inserted-1", "inserted-2"]
    assert len(ids) == len(set(ids)) == CALLS + 3
    # The closing count disagreed with the first pass, so the window was paged again.
    assert [p["offset"] for p in _page_requests(sim)].count("0") == 2


def test_a_short_page_is_filled_by_a_request_for_just_the_gap(sim, tmp_path):
    sim.inject(Fault("short_page", match={"offset": 150, "limit": PAGE}, keep=4))
    ids = _run(sim, tmp_path)
    assert ids == _sim_ids(sim)
    assert {"offset": "154", "limit": "6"}.items() <= _gap_request(sim).items()


def _gap_request(sim) -> dict:
    (gap,) = [p for p in _page_requests(sim) if p["limit"] not in ("0", str(PAGE))]
    return gap


def test_an_error_body_on_a_page_fetched_ahead_is_fetched_again(sim, tmp_path):
    error = {"error": "Query timed out, please retry"}
    sim.inject(Fault("error_body", match={"offset": 220}, body=error, times=2))
    ids = _run(sim, tmp_path)
    assert ids == _sim_ids(sim)
    answered = [r["fault"] for r in sim.requests if r["params"].get("offset") == "220"]
    assert answered == ["error_body", "error_body", None]


def test_a_call_repeated_on_two_pages_is_kept_once(sim, tmp_path):
    sim.inject(Fault("duplicate", match={"offset": 50}))
    ids = _run(sim, tmp_path)
    assert ids == _sim_ids(sim)
    assert len(ids) == len(set(ids)) == CALLS


def test_one_at_a_time_pages_strictly_in_order(sim, tmp_path):
    ids = _run(sim, tmp_path, concurrency=1)
    assert ids == _sim_ids(sim)
    offsets = [int(p["offset"]) for p in _page_requests(sim)]
    assert offsets == list(range(0, CALLS, PAGE))
