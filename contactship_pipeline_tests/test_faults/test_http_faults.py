"""HTTP faults on a page mid-run: each is retried to the exact day, or fails leaving the old file.

Every fault hits the second page (offset 25), so paging has to go on after it.
"""

import time

import pyarrow.parquet as pq
import pytest

from contactship_pipeline.api import (
    ContactshipAuthError,
    ContactshipBadRequestError,
    ContactshipDeadlineError,
    ContactshipRateLimitedError,
    ContactshipResponseError,
    ContactshipServerError,
)
from contactship_pipeline.simulator import Fault
from contactship_pipeline_tests.test_faults.conftest import (
    DAY,
    PAGE_SIZE,
    calls_file,
    expected_ids,
    files_under,
    put_previous,
    run_day,
)

SECOND_PAGE = {"offset": PAGE_SIZE, "limit": PAGE_SIZE}
GATEWAY_PAGE = "<html><body><h1>502 Bad Gateway</h1></body></html>"


def _status(status: int, retry_after: str | None = None, **fields) -> Fault:
    headers = {"Retry-After": retry_after} if retry_after is not None else None
    return Fault("status", status=status, headers=headers, match=SECOND_PAGE, **fields)


# Retry-After as: (header, seconds from now for an HTTP date, settings, least wait in seconds)
RETRY_AFTER = {
    "0": ("0", None, {}, 0),
    "2 s": ("2", None, {"retry_after_max_s": 5}, 1.9),
    "a day, capped": ("86400", None, {"retry_after_max_s": 0.3}, 0.28),
    "an HTTP date": (None, 2, {"retry_after_max_s": 5}, 0.9),
    "an HTTP date gone by": (None, -30, {}, 0),
    "missing": (None, None, {}, 0),
    "unreadable": ("soon", None, {}, 0),
}
# (fault served once, settings, least wait before the retry in seconds)
RECOVERED = {
    f"{status} Retry-After {name}": (_status(status, header, retry_after_in=date), conf, wait)
    for status in (429, 503)
    for name, (header, date, conf, wait) in RETRY_AFTER.items()
} | {
    "500": (_status(500), {}, 0),
    "502 with an HTML page": (_status(502, body=GATEWAY_PAGE), {}, 0),
    "504": (_status(504), {}, 0),
    "connection reset": (Fault("reset", match=SECOND_PAGE), {}, 0),
    "no answer": (Fault("hang", match=SECOND_PAGE, seconds=3), {}, 0.45),
    "body cut off mid-JSON": (Fault("truncate", match=SECOND_PAGE), {}, 0),
    "body not JSON": (Fault("not_json", match=SECOND_PAGE), {}, 0),
    "200 with an error object": (Fault("error_body", match=SECOND_PAGE), {}, 0),
}


@pytest.mark.parametrize(("fault", "settings", "least_wait"), RECOVERED.values(), ids=RECOVERED)
def test_a_fault_once_is_retried_and_the_day_is_exact(sim, tmp_path, fault, settings, least_wait):
    sim.inject(fault)
    result = run_day(sim, tmp_path, **settings)

    assert pq.read_table(calls_file(tmp_path))["id"].to_pylist() == expected_ids(sim)
    requests = sim.requests
    (faulted,) = [i for i, r in enumerate(requests) if r["fault"]]
    retried = requests[faulted + 1]
    assert (retried["params"], retried["status"]) == (requests[faulted]["params"], 200)
    waited = retried["time"] - requests[faulted]["time"]
    assert least_wait <= waited < least_wait + 5
    metadata = result.asset_materializations_for_node("contactship__calls")[0].metadata
    assert metadata["retries"].value == 1
    assert files_under(tmp_path) == [f"calls/{DAY}.parquet"]


def test_a_body_that_trickles_within_the_deadline_is_read_whole(sim, tmp_path):
    sim.inject(Fault("trickle", match=SECOND_PAGE, chunk_bytes=2048, interval=0.02))
    run_day(sim, tmp_path)
    assert pq.read_table(calls_file(tmp_path))["id"].to_pylist() == expected_ids(sim)
    assert [r["fault"] for r in sim.requests].count("trickle") == 1


def _lasting(kind: str, **fields) -> Fault:
    return Fault(kind, match=SECOND_PAGE, times=None, **fields)


# (fault on every try, settings, error kind, words of the message, most seconds the run may take)
FAILED = {
    "429 every time": (
        _lasting("status", status=429, headers={"Retry-After": "0"}),
        {},
        ContactshipRateLimitedError,
        "still rate limited (429",
        10,
    ),
    "500 every time": (_lasting("status", status=500), {}, ContactshipServerError, "500", 10),
    "502 every time": (_lasting("status", status=502), {}, ContactshipServerError, "502", 10),
    "503 every time": (_lasting("status", status=503), {}, ContactshipServerError, "503", 10),
    "504 every time": (_lasting("status", status=504), {}, ContactshipServerError, "504", 10),
    "resets every time": (_lasting("reset"), {}, ContactshipServerError, "ProtocolError", 10),
    "no answer, within the read timeouts": (
        _lasting("hang", seconds=10),
        {"read_timeout_s": 0.3},
        ContactshipServerError,
        "no answer after 3 attempts (ReadTimeoutError)",
        8,
    ),
    # Without the request deadline each of the next three would take 30 s or more.
    "no answer, past the deadline": (
        _lasting("hang", seconds=10),
        {"read_timeout_s": 30, "request_deadline_s": 1},
        ContactshipDeadlineError,
        "deadline ran out",
        8,
    ),
    "a body that trickles past the deadline": (
        _lasting("trickle", chunk_bytes=16, interval=0.05),
        {"read_timeout_s": 1, "request_deadline_s": 1},
        ContactshipDeadlineError,
        "body was still arriving at the request deadline",
        8,
    ),
    "Retry-After past the deadline": (
        _lasting("status", status=503, headers={"Retry-After": "86400"}),
        {"retry_after_max_s": 60, "request_deadline_s": 1},
        ContactshipDeadlineError,
        "deadline ran out",
        8,
    ),
    "cut off every time": (
        _lasting("truncate"),
        {},
        ContactshipResponseError,
        "not valid JSON",
        10,
    ),
    "not JSON every time": (_lasting("not_json"), {}, ContactshipResponseError, "not valid", 10),
    "an error object every time": (
        _lasting("error_body", body={"error": "Query timed out"}),
        {},
        ContactshipResponseError,
        "the server said: Query timed out",
        10,
    ),
    "the key stops working after two pages": (
        Fault("status", status=401, after=2, times=None),
        {},
        ContactshipAuthError,
        "Set CONTACTSHIP_API_KEY",
        10,
    ),
    "403": (
        _lasting("status", status=403, body={"message": "Forbidden"}),
        {},
        ContactshipAuthError,
        "rejected the key (403)",
        10,
    ),
    "400": (
        _lasting("status", status=400, body={"message": "Invalid 'offset'"}),
        {},
        ContactshipBadRequestError,
        "(400): Invalid 'offset'",
        10,
    ),
}


@pytest.mark.parametrize(
    ("fault", "settings", "error", "words", "most_s"), FAILED.values(), ids=FAILED
)
def test_a_lasting_fault_fails_clearly_and_leaves_the_previous_file(
    sim, tmp_path, previous_file, fault, settings, error, words, most_s
):
    before = put_previous(previous_file, tmp_path)
    sim.inject(fault)
    started = time.monotonic()
    with pytest.raises(error) as raised:
        run_day(sim, tmp_path, **settings)
    elapsed = time.monotonic() - started

    assert f"partition {DAY}" in str(raised.value)
    assert words in str(raised.value)
    assert elapsed < most_s
    assert calls_file(tmp_path).read_bytes() == before
    assert files_under(tmp_path) == [f"calls/{DAY}.parquet"]
