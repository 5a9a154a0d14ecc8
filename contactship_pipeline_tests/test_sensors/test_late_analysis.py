"""Analysis that arrives late changes no count: such a day is reloaded on a clock instead."""

import copy
import json
from datetime import date

import pytest
from dagster import instance_for_test

from contactship_pipeline.sensors import HealingSettings
from contactship_pipeline_tests.conftest import run_days
from contactship_pipeline_tests.test_sensors.conftest import (
    HEALED,
    START,
    STORED,
    evaluate,
    make_simulator,
    requested,
)

pytestmark = pytest.mark.usefixtures("pinned_now")
SENSOR = "late_changes_sensor"
DAY = date(2026, 3, 15)
WAITING_ID = "0000a2a1-0000-4000-8000-000000000001"
HEALING = HealingSettings(analysis_recheck_s=3600)


def _answered_without_analysis(sim) -> dict:
    answered = next(c for c in sim.calls_for_day(DAY) if c["call_result"] == "answered")
    call = copy.deepcopy(answered)
    call.update(id=WAITING_ID, call_analysis=None)
    return call


def test_a_day_awaiting_analysis_is_reloaded_after_the_wait_and_no_more_once_it_came(
    tmp_path, capfd
):
    with make_simulator() as sim, instance_for_test() as instance:
        waiting = _answered_without_analysis(sim)
        sim.upsert_calls([waiting])
        run_days(sim.base_url, tmp_path, STORED, start_date=START, instance=instance)

        # First seen: the clock starts, nothing is asked for, and no extra request is sent.
        before = len(sim.requests)
        first = evaluate(SENSOR, instance, tmp_path, sim.base_url, HEALING)
        assert requested(first) == {}
        cursor = json.loads(first.cursor)
        assert list(cursor["analysis"]) == ["2026-03-15"]
        # Only the usual counts were asked: waiting for analysis costs no request.
        assert {q["params"]["limit"] for q in sim.requests[before:]} == {"0"}

        # An hour later (the clock moved back in the cursor), the day is loaded again.
        cursor["analysis"]["2026-03-15"] -= 3601
        second = evaluate(SENSOR, instance, tmp_path, sim.base_url, HEALING, json.dumps(cursor))
        assert requested(second) == {key: ["2026-03-15"] for key in HEALED}
        assert "2026-03-15: 1 answered calls had no analysis" in capfd.readouterr().err

        # The analysis arrives and the day is reloaded: nothing waits, the clock is dropped.
        sim.upsert_calls(
            [{**waiting, "call_analysis": {"summary": "Late.", "sentiment": "Neutral"}}]
        )
        run_days(sim.base_url, tmp_path, ["2026-03-15"], start_date=START, instance=instance)
        third = evaluate(SENSOR, instance, tmp_path, sim.base_url, HEALING, second.cursor)
        assert requested(third) == {}
        assert json.loads(third.cursor)["analysis"] == {}
