"""Pages served from each call's ready JSON text are byte for byte what `json.dumps` gives."""

import json
from datetime import date

import pytest

from contactship_pipeline_tests.test_simulator.conftest import END, START, get_calls

WINDOW = {"date_from": START.isoformat(), "date_to": END.isoformat()}


@pytest.mark.parametrize(
    "params",
    [
        {"order": "asc", "limit": 30, "offset": 55},
        {"order": "desc", "limit": 7, "offset": 0, "call_status": "completed"},
        {"limit": 5, "include_transcript": "true", "include_words": "true"},
        {"limit": 5, "include_tools": "true", "transcript_format": "toon"},
        {"limit": 0},
        {"offset": 10_000},
    ],
)
def test_a_page_is_the_json_of_its_records(sim, params):
    body = get_calls(sim, {**WINDOW, **params}).content
    page = json.loads(body)
    assert body == json.dumps({"data": page["data"], "count": page["count"]}).encode()


def test_a_changed_call_is_served_changed_after_it_was_encoded_ahead(fresh_sim):
    day = date(2026, 3, 13)
    params = {"date_from": day.isoformat(), "date_to": day.isoformat(), "order": "asc"}
    assert fresh_sim.preserialise(day, day) == len(fresh_sim.calls_for_day(day))
    call = fresh_sim.calls_for_day(day)[3]
    fresh_sim.upsert_calls([{**call, "duration": 9999}])
    served = get_calls(fresh_sim, {**params, "limit": 1, "offset": 3}).json()["data"]
    assert served == [{**call, "duration": 9999}]


def test_latency_can_change_while_serving(fresh_sim):
    fresh_sim.latency_ms = 5
    assert fresh_sim.latency_ms == 5
    with pytest.raises(ValueError, match="latency_ms"):
        fresh_sim.latency_ms = -1
