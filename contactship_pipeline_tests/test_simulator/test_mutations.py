"""Changing the store: upserts, deletes, calls that finish late, and changes mid-paging."""

from datetime import date

import pytest
import requests

from contactship_pipeline_tests.test_simulator.conftest import (
    API_KEY,
    CALLS_PER_DAY,
    END,
    TIMEOUT,
    get_calls,
    make_simulator,
)

DAY = date(2026, 3, 14)
DAY_PARAMS = {"date_from": "2026-03-14", "date_to": "2026-03-14", "order": "asc", "limit": 100}


def _day_ids(sim, params=DAY_PARAMS) -> list[str]:
    return [call["id"] for call in get_calls(sim, params).json()["data"]]


def test_upsert_replaces_by_id_and_the_cached_page_follows(fresh_sim):
    call = fresh_sim.calls_for_day(DAY)[0]
    assert get_calls(fresh_sim, DAY_PARAMS).json()["data"][0] == call
    changed = {**call, "call_status": "failed", "duration": "n/a"}
    assert fresh_sim.upsert_calls([changed]) == 1
    assert get_calls(fresh_sim, DAY_PARAMS).json()["data"][0] == changed
    assert len(fresh_sim.calls_for_day(DAY)) == CALLS_PER_DAY


def test_upsert_serves_malformed_calls_as_given(fresh_sim):
    no_id = {"created_at": "2026-03-14T12:00:00Z", "duration": "abc", "contact": None}
    no_date = {"id": "broken-1", "created_at": 1773489600}
    with pytest.raises(ValueError, match="created_at"):
        fresh_sim.upsert_calls([no_date])
    fresh_sim.upsert_calls([no_id])
    fresh_sim.upsert_calls([no_date], day=DAY)
    served = get_calls(fresh_sim, DAY_PARAMS).json()
    assert served["count"] == CALLS_PER_DAY + 2
    assert served["data"][0] == no_date  # an unreadable created_at sorts first
    assert no_id in served["data"]


def test_delete_removes_calls(fresh_sim):
    ids = [call["id"] for call in fresh_sim.calls_for_day(DAY)]
    assert fresh_sim.delete_calls([*ids[:5], "no-such-id"]) == 5
    assert _day_ids(fresh_sim) == ids[5:]
    fresh_sim.delete_calls(ids[5:])
    assert get_calls(fresh_sim, DAY_PARAMS).json() == {"data": [], "count": 0}


def test_a_call_deleted_before_its_day_is_generated_stays_deleted():
    known = make_simulator().calls_for_day(DAY)[0]["id"]
    with make_simulator() as sim:
        sim.delete_calls([known])
        assert known not in _day_ids(sim)
        assert len(_day_ids(sim)) == CALLS_PER_DAY - 1


def test_complete_in_progress_finishes_the_running_calls(fresh_sim):
    running_filter = {"date_from": END.isoformat(), "call_status": "in-progress"}
    assert get_calls(fresh_sim, running_filter).json()["count"] >= 1
    before = {call["id"]: call for call in fresh_sim.calls_for_day(END)}
    changed = fresh_sim.complete_in_progress(END)
    assert changed
    assert all(before[call_id]["call_status"] != "completed" for call_id in changed)
    after = {call["id"]: call for call in fresh_sim.calls_for_day(END)}
    for call_id in changed:
        call = after[call_id]
        assert (call["call_status"], call["call_result"]) == ("completed", "answered")
        assert call["finished_at"] and call["duration"] > 0 and call["call_analysis"]
        assert call["created_at"] == before[call_id]["created_at"]
    assert get_calls(fresh_sim, running_filter).json()["count"] == 0
    assert fresh_sim.complete_in_progress(END) == []


def test_add_late_call_adds_a_new_completed_call_on_that_day(fresh_sim):
    before = {call["id"] for call in fresh_sim.calls_for_day(DAY)}
    late_ids = [fresh_sim.add_late_call(DAY), fresh_sim.add_late_call(DAY)]
    assert len(set(late_ids)) == 2 and not set(late_ids) & before
    calls = {call["id"]: call for call in fresh_sim.calls_for_day(DAY)}
    for late_id in late_ids:
        assert calls[late_id]["call_status"] == "completed"
        assert calls[late_id]["created_at"].startswith("2026-03-14")
    same_seed = make_simulator()
    assert [same_seed.add_late_call(DAY), same_seed.add_late_call(DAY)] == late_ids


def test_on_request_changes_the_store_before_the_next_page(fresh_sim):
    seen = []

    def add_a_call_after_the_first_page(index, params):
        seen.append((index, params))
        if index == 0:
            fresh_sim.add_late_call(DAY)

    fresh_sim.on_request(add_a_call_after_the_first_page)
    first = get_calls(fresh_sim, {**DAY_PARAMS, "limit": 5}).json()
    second = get_calls(fresh_sim, {**DAY_PARAMS, "limit": 5, "offset": 5}).json()
    assert (first["count"], second["count"]) == (CALLS_PER_DAY, CALLS_PER_DAY + 1)
    assert [index for index, _ in seen] == [0, 1]
    assert seen[1][1]["offset"] == "5"
    assert fresh_sim.requests[1]["params"] == seen[1][1]


def test_control_routes_upsert_and_delete_calls(fresh_sim):
    control = f"{fresh_sim.base_url}/_control/calls"
    headers = {"x-api-key": API_KEY}
    call = {"id": "added-over-http", "created_at": "2026-03-14T01:00:00+00:00"}
    answer = requests.post(control, json=[call], headers=headers, timeout=TIMEOUT)
    assert answer.json() == {"upserted": 1}
    assert "added-over-http" in _day_ids(fresh_sim)
    answer = requests.delete(control, json=["added-over-http"], headers=headers, timeout=TIMEOUT)
    assert answer.json() == {"deleted": 1}
    assert "added-over-http" not in _day_ids(fresh_sim)
    undated = requests.post(control, json=[{"id": "x"}], headers=headers, timeout=TIMEOUT)
    assert undated.status_code == 400
    filed = requests.post(
        control, params={"day": "2026-03-14"}, json=[{"id": "x"}], headers=headers, timeout=TIMEOUT
    )
    assert filed.json() == {"upserted": 1}
    assert _day_ids(fresh_sim)[0] == "x"
