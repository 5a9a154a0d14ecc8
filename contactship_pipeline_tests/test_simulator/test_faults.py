"""Each fault kind as a client sees it, and how faults pick their requests."""

import email.utils
import json
import time

import pytest
import requests

from contactship_pipeline.simulator import Fault
from contactship_pipeline_tests.test_simulator.conftest import (
    API_KEY,
    CALLS_PER_DAY,
    TIMEOUT,
    get_calls,
    make_simulator,
)

DAY = {"date_from": "2026-03-14", "date_to": "2026-03-14", "order": "asc", "limit": 10}


def test_status_fault_sends_its_status_headers_and_body_then_stops(fresh_sim):
    fresh_sim.inject(
        Fault("status", status=429, headers={"Retry-After": "2"}, body={"message": "slow down"})
    )
    limited = get_calls(fresh_sim, DAY)
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "2"
    assert limited.json() == {"message": "slow down"}
    assert get_calls(fresh_sim, DAY).status_code == 200
    assert [(r["status"], r["fault"], r["attempt"]) for r in fresh_sim.requests] == [
        (429, "status", 1),
        (200, None, 2),
    ]


def test_retry_after_can_be_an_http_date_made_at_serve_time(fresh_sim):
    fresh_sim.inject(Fault("status", status=503, retry_after_in=30))
    response = get_calls(fresh_sim, DAY)
    assert response.status_code == 503
    when = email.utils.parsedate_to_datetime(response.headers["Retry-After"]).timestamp()
    assert 28 <= when - time.time() <= 31


def test_faults_fire_in_order_one_request_each(fresh_sim):
    for retry_after in ("0", "2", "86400"):
        fresh_sim.inject(Fault("status", status=429, headers={"Retry-After": retry_after}))
    seen = [get_calls(fresh_sim, DAY).headers.get("Retry-After") for _ in range(4)]
    assert seen == ["0", "2", "86400", None]


def test_match_after_and_times_choose_the_requests(fresh_sim):
    fresh_sim.inject(Fault("status", status=502, match={"offset": 10}, after=1, times=2))
    statuses = [get_calls(fresh_sim, {**DAY, "offset": 10}).status_code for _ in range(4)]
    assert statuses == [200, 502, 502, 200]
    assert get_calls(fresh_sim, DAY).status_code == 200


def test_times_none_lasts_until_cleared(fresh_sim):
    fresh_sim.inject(Fault("status", status=500, times=None))
    assert [get_calls(fresh_sim, DAY).status_code for _ in range(3)] == [500, 500, 500]
    fresh_sim.clear_faults()
    assert get_calls(fresh_sim, DAY).status_code == 200


def test_reset_drops_the_connection(fresh_sim):
    fresh_sim.inject(Fault("reset"))
    with pytest.raises(requests.ConnectionError):
        get_calls(fresh_sim, DAY)
    assert fresh_sim.requests[0]["fault"] == "reset"
    assert get_calls(fresh_sim, DAY).status_code == 200


def test_hang_times_the_client_out_without_blocking_others_or_stop():
    with make_simulator() as sim:
        sim.inject(Fault("hang", seconds=30))
        with pytest.raises(requests.ReadTimeout):
            get_calls(sim, DAY, timeout=0.3)
        assert get_calls(sim, DAY).status_code == 200
        stopping = time.monotonic()
    # Far less than the 30 s hang: stopping wakes the hung handler.
    assert time.monotonic() - stopping < 10


def test_trickle_delivers_the_real_page_slowly(fresh_sim):
    expected = get_calls(fresh_sim, {**DAY, "limit": 1}).content
    fresh_sim.inject(Fault("trickle", interval=0.02, chunk_bytes=200))
    started = time.monotonic()
    response = get_calls(fresh_sim, {**DAY, "limit": 1})
    pieces = -(-len(expected) // 200)
    assert time.monotonic() - started >= 0.02 * (pieces - 1)
    assert response.content == expected


def test_truncate_cuts_the_body_without_content_length(fresh_sim):
    whole = get_calls(fresh_sim, DAY).content
    fresh_sim.inject(Fault("truncate"))
    response = get_calls(fresh_sim, DAY)
    assert response.status_code == 200
    assert "Content-Length" not in response.headers
    assert response.content == whole[: len(whole) // 2]
    with pytest.raises(requests.JSONDecodeError):
        response.json()


def test_not_json_sends_an_html_page(fresh_sim):
    fresh_sim.inject(Fault("not_json"))
    response = get_calls(fresh_sim, DAY)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    with pytest.raises(requests.JSONDecodeError):
        response.json()


def test_error_body_is_a_200_without_data(fresh_sim):
    fresh_sim.inject(Fault("error_body"))
    response = get_calls(fresh_sim, DAY)
    assert response.status_code == 200
    assert response.json() == {"message": "Service temporarily unavailable"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("data_null", {"data": None, "count": CALLS_PER_DAY}),
        ("count_string", {"count": str(CALLS_PER_DAY)}),
        ("count_missing", {}),
    ],
)
def test_envelope_changes(fresh_sim, change, expected):
    real = get_calls(fresh_sim, DAY).json()
    fresh_sim.inject(Fault("envelope", envelope=change))
    body = get_calls(fresh_sim, DAY).json()
    assert body == {"data": real["data"], **expected}


def test_short_page_keeps_the_count(fresh_sim):
    real = get_calls(fresh_sim, DAY).json()
    fresh_sim.inject(Fault("short_page", keep=3))
    assert get_calls(fresh_sim, DAY).json() == {"data": real["data"][:3], "count": real["count"]}


def test_duplicate_repeats_the_previous_pages_first_call(fresh_sim):
    first = get_calls(fresh_sim, DAY).json()["data"]
    second = get_calls(fresh_sim, {**DAY, "offset": 10}).json()["data"]
    fresh_sim.inject(Fault("duplicate"))
    body = get_calls(fresh_sim, {**DAY, "offset": 10}).json()
    assert body["data"] == [first[0], *second]
    assert body["count"] == CALLS_PER_DAY


def test_control_routes_inject_and_clear_faults(fresh_sim):
    control = f"{fresh_sim.base_url}/_control"
    headers = {"x-api-key": API_KEY}
    faults = [{"kind": "status", "status": 503, "times": None}]
    assert requests.post(f"{control}/faults", json=faults, timeout=TIMEOUT).status_code == 401
    answer = requests.post(f"{control}/faults", json=faults, headers=headers, timeout=TIMEOUT)
    assert answer.json() == {"faults": 1}
    assert get_calls(fresh_sim, DAY).status_code == 503
    requests.post(f"{control}/reset", headers=headers, timeout=TIMEOUT).raise_for_status()
    assert get_calls(fresh_sim, DAY).status_code == 200


@pytest.mark.parametrize(
    "faults", [[{"kind": "meltdown"}], [{"kind": "status", "colour": "red"}], {"kind": "hang"}]
)
def test_control_rejects_bad_faults(fresh_sim, faults):
    response = requests.post(
        f"{fresh_sim.base_url}/_control/faults",
        data=json.dumps(faults),
        headers={"x-api-key": API_KEY},
        timeout=TIMEOUT,
    )
    assert response.status_code == 400
    assert response.json()["message"]


def test_fault_arguments_are_checked():
    with pytest.raises(ValueError, match="meltdown"):
        Fault("meltdown")
    with pytest.raises(ValueError, match="envelope"):
        Fault("envelope", envelope="data_missing")
