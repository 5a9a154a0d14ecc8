"""`late_changes_sensor` against a real instance and the simulator: what it asks, what it finds."""

import json
from collections import Counter
from datetime import date

import pytest

from contactship_pipeline.api.contract import NON_TERMINAL_STATUSES
from contactship_pipeline.sensors import HealingSettings
from contactship_pipeline.simulator import Fault
from contactship_pipeline_tests.conftest import API_KEY
from contactship_pipeline_tests.test_sensors.conftest import (
    HEALED,
    evaluate,
    make_simulator,
    requested,
    skip_message,
)

pytestmark = pytest.mark.usefixtures("pinned_now")
SENSOR = "late_changes_sensor"
LAST_DAY = date(2026, 3, 16)


@pytest.fixture
def sim():
    """A simulator of its own that serves what the shared store was loaded from."""
    with make_simulator() as simulator:
        yield simulator


def _counts(sim) -> list[dict[str, str]]:
    """The query of every `/v1/calls` request so far."""
    return [entry["params"] for entry in sim.requests if entry["path"] == "/v1/calls"]


def _running_on_last_day(sim) -> dict[str, int]:
    statuses = Counter(call["call_status"] for call in sim.calls_for_day(LAST_DAY))
    return {status: statuses[status] for status in NON_TERMINAL_STATUSES if statuses[status]}


def test_unchanged_days_cost_one_count_each_and_nothing_is_asked_for(store, sim, capfd):
    instance, data_dir = store
    result = evaluate(SENSOR, instance, data_dir, sim.base_url)

    running = _running_on_last_day(sim)
    asked = _counts(sim)
    assert {(q["date_from"], q["date_to"], q["limit"], q.get("call_status")) for q in asked} == {
        *((day, day, "0", None) for day in ("2026-03-13", "2026-03-14", "2026-03-15")),
        ("2026-03-16", "2026-03-16", "0", None),
        *(("2026-03-16", "2026-03-16", "0", status) for status in running),
    }
    assert len(asked) == 4 + len(running)
    assert requested(result) == {}
    assert skip_message(result) == f"no change found in 4 days compared ({len(asked)} API requests)"
    log = capfd.readouterr().err
    assert f"compared 4 of 7 days with {len(asked)} API requests" in log
    assert "not all stored yet: 2026-03-12, 2026-03-11, 2026-03-10" in log
    assert API_KEY not in log
    cursor = json.loads(result.cursor)
    assert sorted(cursor["checked"]) == ["2026-03-13", "2026-03-14", "2026-03-15", "2026-03-16"]
    assert cursor["requested"] == {}


def test_a_day_that_changes_is_asked_for_again_each_time_it_changes(store, sim, capfd):
    instance, data_dir = store
    first_status = next(iter(_running_on_last_day(sim)))
    sim.complete_in_progress(LAST_DAY)
    sim.add_late_call(date(2026, 3, 14))

    first = evaluate(SENSOR, instance, data_dir, sim.base_url)
    assert requested(first) == {key: ["2026-03-14", "2026-03-16"] for key in HEALED}
    assert json.loads(first.cursor)["requested"] == {
        "2026-03-14": {"calls": 41},
        "2026-03-16": {"calls": 40, first_status: 0},
    }
    assert (
        "2026-03-14: changed at the API (API: calls 41; stored: calls 40" in capfd.readouterr().err
    )

    # No daemon ran that backfill, so the store still differs; the same counts are not re-asked.
    second = evaluate(SENSOR, instance, data_dir, sim.base_url, cursor=first.cursor)
    assert requested(second) == {}
    assert "still differs after a backfill for these same API counts" in capfd.readouterr().err

    # The day changes again, and is asked for again.
    sim.add_late_call(date(2026, 3, 14))
    third = evaluate(SENSOR, instance, data_dir, sim.base_url, cursor=second.cursor)
    assert requested(third) == {key: ["2026-03-14"] for key in HEALED}
    assert json.loads(third.cursor)["requested"]["2026-03-14"] == {"calls": 42}


def test_the_request_budget_bounds_each_tick_and_the_next_tick_goes_on(store, sim, capfd):
    instance, data_dir = store
    assert _running_on_last_day(sim) == {"in-progress": 1}  # so the last day costs 2 requests
    healing = HealingSettings(recheck_requests_per_tick=4)

    first = evaluate(SENSOR, instance, data_dir, sim.base_url, healing)
    assert len(_counts(sim)) == 4
    assert sorted(json.loads(first.cursor)["checked"]) == ["2026-03-14", "2026-03-15", "2026-03-16"]
    log = capfd.readouterr().err
    assert "request limit reached: 2026-03-13 waits for a later tick" in log
    assert "compared 3 of 7 days with 4 API requests (4 HTTP attempts; limit 4" in log

    # The day left out goes first, then those compared longest ago.
    second = evaluate(SENSOR, instance, data_dir, sim.base_url, healing, cursor=first.cursor)
    assert [q["date_from"] for q in _counts(sim)[4:]] == [
        "2026-03-13",
        "2026-03-16",
        "2026-03-16",
        "2026-03-15",
    ]
    assert "request limit reached: 2026-03-14 waits" in capfd.readouterr().err
    assert requested(second) == {}


def test_an_api_failure_ends_the_tick_and_keeps_what_it_found(store, sim, capfd):
    instance, data_dir = store
    sim.add_late_call(LAST_DAY)
    sim.inject(Fault(kind="status", status=500, after=1, times=None))

    result = evaluate(SENSOR, instance, data_dir, sim.base_url, max_attempts=1)
    assert requested(result) == {key: ["2026-03-16"] for key in HEALED}
    log = capfd.readouterr().err
    assert "2026-03-15: no answer from the API, stopping this tick" in log
    assert sorted(json.loads(result.cursor)["checked"]) == ["2026-03-16"]
