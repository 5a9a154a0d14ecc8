"""Paging while the window changes: calls created or deleted between two page requests.

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
