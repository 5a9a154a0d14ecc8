"""Paging while the window changes, and pages that are not what they seem.

The window 14..16 March holds 91 calls; pages of 25 start at offsets 0, 25, 50 and 75. Day
15 sits at offsets 30..60, so a change made while page two (offset 25) is served lands either
before the next offset (50) or after it.
"""

import copy
from datetime import date

import pyarrow.parquet as pq
import pytest
import requests

from contactship_pipeline.api import ContactshipIncompleteError
from contactship_pipeline.simulator import Fault
from contactship_pipeline_tests.test_faults.conftest import (
    API_KEY,
    DAY,
    PAGE_SIZE,
    calls_file,
    expected_ids,
    files_under,
    put_previous,
    run_day,
)

NEW_ID = "0000beef-0000-4000-8000-000000000001"


def _day_ids(data_dir) -> list[str]:
    return pq.read_table(calls_file(data_dir))["id"].to_pylist()


def _new_call(sim, created_at: str, call_id: str = NEW_ID) -> dict:
    call = copy.deepcopy(sim.calls_for_day(date(2026, 3, 15))[5])
    call.update(id=call_id, created_at=created_at)
    return call


def _when_page_is_served(sim, offset: int, change, times: int = 1) -> list[int]:
    """Run `change()` while the page at `offset` is answered, for its first `times` requests."""
    fired: list[int] = []

    def hook(index, params):
        page = params.get("offset") == str(offset) and params.get("limit") != "0"
        if page and len(fired) < times:
            fired.append(index)
            change()

    sim.on_request(hook)
    return fired


def _first_pages(sim) -> int:
    return sum(
        r["params"].get("offset") == "0" and r["params"]["limit"] != "0" for r in sim.requests
    )


def _changes(sim) -> dict:
    day = [call["id"] for call in sim.calls_for_day(date(2026, 3, 15))]
    return {
        "created before the next offset": lambda: sim.upsert_calls(
            [_new_call(sim, "2026-03-15T00:00:00.500Z")]
        ),
        "created after the next offset": lambda: sim.upsert_calls(
            [_new_call(sim, "2026-03-15T23:59:59Z")]
        ),
        "deleted before the next offset": lambda: sim.delete_calls([day[0]]),
        "deleted after the next offset": lambda: sim.delete_calls([day[-1]]),
        "two created before, one deleted before": lambda: (
            sim.upsert_calls(
                [
                    _new_call(sim, "2026-03-15T00:00:00.500Z"),
                    _new_call(sim, "2026-03-15T00:00:00.600Z", NEW_ID[:-1] + "2"),
                ]
            ),
            sim.delete_calls([day[1]]),
        ),
        "one created before, one deleted after": lambda: (
            sim.upsert_calls([_new_call(sim, "2026-03-15T00:00:00.500Z")]),
            sim.delete_calls([day[-1]]),
        ),
    }


CHANGES = [
    "created before the next offset",
    "created after the next offset",
    "deleted before the next offset",
    "deleted after the next offset",
    "two created before, one deleted before",
    "one created before, one deleted after",
]


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_while_paging_is_paged_again_to_the_exact_day(sim, tmp_path, change):
    before = expected_ids(sim)
    fired = _when_page_is_served(sim, PAGE_SIZE, _changes(sim)[change])
    run_day(sim, tmp_path)

    assert len(fired) == 1
    assert _day_ids(tmp_path) == expected_ids(sim) != before
    assert _first_pages(sim) == 2


def test_a_window_that_never_settles_fails_and_keeps_the_previous_file(
    sim, tmp_path, previous_file
):
    old = put_previous(previous_file, tmp_path)
    added = iter(range(1, 100))

    def add_one():
        number = next(added)
        created = f"2026-03-15T00:00:{number:02d}Z"
        sim.upsert_calls([_new_call(sim, created, f"{NEW_ID[:-2]}{number:02d}")])

    _when_page_is_served(sim, PAGE_SIZE, add_one, times=10)
    with pytest.raises(ContactshipIncompleteError, match="the window kept changing"):
        run_day(sim, tmp_path, max_passes=2)
    assert calls_file(tmp_path).read_bytes() == old
    assert files_under(tmp_path) == [f"calls/{DAY}.parquet"]


def test_the_same_call_on_two_pages_is_kept_once(sim, tmp_path):
    # The page at 50 starts with the call already sent first at 25: 26 calls for a limit of
    # 25, so the offset overshoots by one; the count check catches it and pages again.
    sim.inject(Fault("duplicate", match={"offset": 50}))
    run_day(sim, tmp_path)
    ids = _day_ids(tmp_path)
    assert ids == expected_ids(sim) and len(set(ids)) == len(ids)
    assert [r["fault"] for r in sim.requests].count("duplicate") == 1


def test_a_short_page_that_is_not_the_last_does_not_end_paging(sim, tmp_path):
    sim.inject(Fault("short_page", match={"offset": PAGE_SIZE}, keep=7))
    run_day(sim, tmp_path)
    assert _day_ids(tmp_path) == expected_ids(sim)
    offsets = [r["params"]["offset"] for r in sim.requests if r["params"]["limit"] != "0"]
    assert offsets == ["0", "25", "32", "57", "82"]


@pytest.mark.parametrize("envelope", ["count_string", "count_missing"])
def test_envelope_drift_on_every_page_still_gives_the_exact_day(sim, tmp_path, envelope):
    sim.inject(Fault("envelope", envelope=envelope, times=None))
    result = run_day(sim, tmp_path)
    assert _day_ids(tmp_path) == expected_ids(sim)
    metadata = result.asset_materializations_for_node("contactship__calls")[0].metadata
    assert metadata["count_missing"].value is (envelope == "count_missing")


def test_null_data_on_a_page_that_has_calls_is_retried_not_read_as_the_end(sim, tmp_path):
    sim.inject(Fault("envelope", envelope="data_null", match={"offset": PAGE_SIZE}))
    run_day(sim, tmp_path)
    assert _day_ids(tmp_path) == expected_ids(sim)


def _naive_desc(sim, limit: int) -> list[str]:
    """The loop the vendor's defaults invite: order=desc, offset by page, stop on empty."""
    ids, offset = [], 0
    while True:
        params = {"date_from": DAY, "date_to": DAY, "order": "desc", "limit": limit}
        page = requests.get(
            f"{sim.base_url}/v1/calls",
            params={**params, "offset": offset},
            headers={"x-api-key": API_KEY},
            timeout=5,
        ).json()["data"]
        if not page:
            return ids
        ids += [call["id"] for call in page]
        offset += len(page)


def test_desc_paging_drifts_when_calls_arrive_but_the_pipeline_does_not(sim, tmp_path):
    newest = [_new_call(sim, f"2026-03-15T23:59:59.9{n}Z", f"{NEW_ID[:-1]}{n}") for n in (1, 2)]
    _when_page_is_served(sim, 0, lambda: sim.upsert_calls(newest))
    naive = _naive_desc(sim, limit=10)

    day = set(expected_ids(sim))
    assert len(naive) - len(set(naive)) == 2  # two calls seen twice
    assert day - set(naive) == {call["id"] for call in newest}  # the new calls never seen

    sim.delete_calls([call["id"] for call in newest])
    _when_page_is_served(sim, 0, lambda: sim.upsert_calls(newest))
    run_day(sim, tmp_path)
    assert _day_ids(tmp_path) == expected_ids(sim)
    assert {call["id"] for call in newest} <= set(_day_ids(tmp_path))
