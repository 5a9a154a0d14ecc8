"""`GET /v1/calls` over real HTTP: auth, paging, ordering, filters and rejected parameters."""

from datetime import date

import pytest
import requests

from contactship_pipeline.simulator import EXAMPLE_CALL
from contactship_pipeline_tests.test_simulator.conftest import (
    CALLS_PER_DAY,
    TIMEOUT,
    fetch_all,
    get_calls,
    make_simulator,
)


@pytest.mark.parametrize("headers", [{}, {"x-api-key": "wrong-key"}], ids=["missing", "wrong"])
def test_a_missing_or_wrong_key_gets_401(sim, headers):
    response = get_calls(sim, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"message": "Invalid or missing API key"}


def test_other_paths_get_404_json(sim):
    response = requests.get(f"{sim.base_url}/v1/agents", timeout=TIMEOUT)
    assert response.status_code == 404
    assert "message" in response.json()


def test_defaults_are_twenty_newest_first(sim):
    response = get_calls(sim)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert int(response.headers["Content-Length"]) == len(response.content)
    body = response.json()
    assert body["count"] == 7 * CALLS_PER_DAY + 1
    newest_first = list(reversed(sim.all_calls()))
    assert body["data"] == newest_first[:20]


def test_paging_asc_and_desc_gives_every_call_once_in_order(sim):
    everything = sim.all_calls()
    assert fetch_all(sim, {"order": "asc"}) == everything
    assert fetch_all(sim, {"order": "desc"}) == list(reversed(everything))


def test_date_filters_are_inclusive_utc_days(sim):
    body = get_calls(sim, {"date_from": "2026-03-12", "date_to": "2026-03-13", "limit": 100}).json()
    assert body["count"] == 2 * CALLS_PER_DAY
    assert {call["created_at"][:10] for call in body["data"]} == {"2026-03-12", "2026-03-13"}
    assert get_calls(sim, {"date_from": "2026-03-16"}).json()["count"] == CALLS_PER_DAY
    assert get_calls(sim, {"date_to": "2026-03-10"}).json()["count"] == CALLS_PER_DAY
    assert get_calls(sim, {"date_from": "2026-03-17"}).json()["count"] == 0


def test_a_full_datetime_filters_by_its_date(sim):
    params = {"date_from": "2026-03-15T23:59:59Z", "date_to": "2026-03-15T00:00:00+00:00"}
    assert get_calls(sim, params).json()["count"] == CALLS_PER_DAY + 1


def test_the_example_call_is_served_unchanged(sim):
    params = {"date_from": "2026-03-15", "date_to": "2026-03-15", "limit": 100}
    served = [
        call for call in get_calls(sim, params).json()["data"] if call["id"] == EXAMPLE_CALL["id"]
    ]
    assert served == [EXAMPLE_CALL]


@pytest.mark.parametrize(
    ("param", "field"),
    [
        ("call_status", "call_status"),
        ("call_result", "call_result"),
        ("agent_id", "agent_id"),
        ("campaign_id", "campaign_id"),
    ],
)
def test_each_filter_keeps_exactly_the_matching_calls(sim, param, field):
    everything = sim.all_calls()
    for value in {call[field] for call in everything if call[field] is not None}:
        expected = [call for call in everything if call[field] == value]
        assert fetch_all(sim, {param: value, "order": "asc"}, page_size=50) == expected


def test_phone_number_matches_the_caller_or_the_contact(sim):
    everything = sim.all_calls()
    caller = next(call["from"] for call in everything if call["direction"] == "outbound")
    contact = EXAMPLE_CALL["contact"]["phone_number"]
    for number in (caller, contact):
        expected = [
            call
            for call in everything
            if number in (call["from"], (call["contact"] or {}).get("phone_number"))
        ]
        assert expected
        assert fetch_all(sim, {"phoneNumber": number, "order": "asc"}) == expected


def test_filters_combine_with_dates(sim):
    params = {"call_status": "completed", "date_from": "2026-03-11", "date_to": "2026-03-11"}
    expected = [c for c in sim.calls_for_day(date(2026, 3, 11)) if c["call_status"] == "completed"]
    assert fetch_all(sim, {**params, "order": "asc"}) == expected


def test_limit_is_clamped_to_the_largest_page_size():
    with make_simulator(max_page_size=25) as small_pages:
        body = get_calls(small_pages, {"limit": 1000}).json()
    assert len(body["data"]) == 25
    assert body["count"] == 7 * CALLS_PER_DAY + 1


def test_limit_zero_only_counts(sim):
    assert get_calls(sim, {"limit": 0, "date_from": "2026-03-14"}).json() == {
        "data": [],
        "count": 3 * CALLS_PER_DAY + 1,
    }


def test_offset_past_the_end_gives_an_empty_page_with_the_count(sim):
    assert get_calls(sim, {"offset": 10_000}).json() == {"data": [], "count": 7 * 40 + 1}


@pytest.mark.parametrize(
    "query",
    [
        "limit=-1",
        "limit=abc",
        "limit=1.5",
        "offset=-3",
        "offset=",
        "order=newest",
        "date_from=2026-13-01",
        "date_to=yesterday",
        "call_status=ended",
        "call_result=completed",
        "include_transcript=yes",
        "include_words=1",
        "include_tools=TRUE",
        "transcript_format=xml",
        "agent_id=",
        "page=2",
        "limit=5&limit=6",
    ],
)
def test_invalid_parameters_get_400_naming_the_parameter(sim, query):
    response = requests.get(
        f"{sim.base_url}/v1/calls?{query}", headers={"x-api-key": "test-key"}, timeout=TIMEOUT
    )
    assert response.status_code == 400
    assert f"'{query.split('=')[0]}'" in response.json()["message"]
