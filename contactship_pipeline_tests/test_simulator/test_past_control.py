"""Changing a past day over HTTP, as a demo or a test in another process does."""

from datetime import date

import requests

from contactship_pipeline_tests.test_simulator.conftest import (
    API_KEY,
    CALLS_PER_DAY,
    END,
    TIMEOUT,
    get_calls,
    make_simulator,
)

HEADERS = {"x-api-key": API_KEY}
DAY = date(2026, 3, 14)


def _post(sim, route: str, day: str | None) -> requests.Response:
    params = {} if day is None else {"day": day}
    url = f"{sim.base_url}/_control/past/{route}"
    return requests.post(url, params=params, headers=HEADERS, timeout=TIMEOUT)


def test_complete_over_http_finishes_the_days_running_calls(fresh_sim):
    running = [
        c["id"]
        for c in fresh_sim.calls_for_day(END)
        if c["call_status"] in ("in-progress", "in-queue", "scheduled")
    ]
    assert running
    answer = _post(fresh_sim, "complete", END.isoformat())
    assert answer.status_code == 200
    assert answer.json() == {"completed": running}
    in_progress = {"date_from": END.isoformat(), "date_to": END.isoformat()}
    assert get_calls(fresh_sim, {**in_progress, "call_status": "in-progress"}).json()["count"] == 0
    assert _post(fresh_sim, "complete", END.isoformat()).json() == {"completed": []}


def test_late_call_over_http_adds_the_same_call_as_the_python_method(fresh_sim):
    answer = _post(fresh_sim, "late-call", DAY.isoformat())
    assert answer.status_code == 200
    late_id = answer.json()["added"]
    assert late_id == make_simulator().add_late_call(DAY)
    day_params = {"date_from": "2026-03-14", "date_to": "2026-03-14", "limit": 0}
    assert get_calls(fresh_sim, day_params).json()["count"] == CALLS_PER_DAY + 1
    assert late_id in {call["id"] for call in fresh_sim.calls_for_day(DAY)}


def test_past_routes_need_the_key_and_a_day(fresh_sim):
    url = f"{fresh_sim.base_url}/_control/past/late-call"
    no_key = requests.post(url, params={"day": "2026-03-14"}, timeout=TIMEOUT)
    assert no_key.status_code == 401
    for day in (None, "14/03/2026"):
        answer = _post(fresh_sim, "late-call", day)
        assert answer.status_code == 400
        assert "?day=YYYY-MM-DD" in answer.json()["message"]
    assert len(fresh_sim.calls_for_day(DAY)) == CALLS_PER_DAY
