"""The generated calls: deterministic, realistic, and the vendor's example always present."""

import json
from collections import Counter
from datetime import date, timedelta

from contactship_pipeline.simulator import EXAMPLE_CALL, Simulator
from contactship_pipeline.simulator.query import CALL_RESULTS, CALL_STATUSES
from contactship_pipeline.simulator.timestamps import parse_timestamp
from contactship_pipeline_tests.test_simulator.conftest import (
    CALLS_PER_DAY,
    END,
    START,
    make_simulator,
)

EXAMPLE_DAY = date(2026, 3, 15)
NON_TERMINAL = {"in-progress", "in-queue", "scheduled"}
RESULT_OF = {
    "completed": "answered",
    "incomplete": "answered",
    "voice_mail": "voicemail",
    "answering-machine": "voicemail",
    "no-answer": "no_answer",
    "busy": "busy",
    "failed": "failed",
}


def test_same_seed_gives_byte_identical_calls():
    first = json.dumps(make_simulator().all_calls())
    second = json.dumps(make_simulator().all_calls())
    assert first == second


def test_a_day_does_not_depend_on_which_days_were_asked_first():
    forward, backward = make_simulator(), make_simulator()
    days = [START + timedelta(days=n) for n in range(7)]
    seen_forward = [forward.calls_for_day(day) for day in days]
    seen_backward = [backward.calls_for_day(day) for day in reversed(days)]
    assert seen_forward == list(reversed(seen_backward))


def test_different_seeds_give_different_ids():
    ids_7 = {call["id"] for call in make_simulator(seed=7).all_calls()}
    ids_8 = {call["id"] for call in make_simulator(seed=8).all_calls()}
    assert ids_7 & ids_8 == {EXAMPLE_CALL["id"]}


def test_every_day_has_the_asked_count_plus_the_example_on_its_day():
    sim = make_simulator()
    for offset in range(7):
        day = START + timedelta(days=offset)
        expected = CALLS_PER_DAY + (1 if day == EXAMPLE_DAY else 0)
        assert len(sim.calls_for_day(day)) == expected
    assert sim.calls_for_day(START - timedelta(days=1)) == []
    assert len(sim.all_calls()) == 7 * CALLS_PER_DAY + 1


def test_example_call_is_kept_field_for_field_outside_the_range_too():
    sim = make_simulator(start_date=date(2026, 6, 1), end_date=date(2026, 6, 2))
    assert sim.calls_for_day(EXAMPLE_DAY) == [EXAMPLE_CALL]
    assert list(sim.calls_for_day(EXAMPLE_DAY)[0]) == list(EXAMPLE_CALL)


def test_calls_are_ordered_by_created_at_then_id():
    calls = make_simulator().all_calls()
    keys = [(parse_timestamp(call["created_at"]), call["id"]) for call in calls]
    assert keys == sorted(keys)


def test_copies_returned_cannot_change_the_store():
    sim = make_simulator()
    sim.calls_for_day(START)[0]["call_status"] = "tampered"
    assert sim.calls_for_day(START)[0]["call_status"] != "tampered"


def test_days_counts_back_from_today():
    sim = Simulator(days=3, today=date(2026, 3, 17))
    assert (sim.start_date, sim.end_date) == (date(2026, 3, 14), date(2026, 3, 16))
    assert len(sim.calls_for_day(date(2026, 3, 14))) == 50


def test_statuses_results_and_nulls_are_consistent():
    calls = make_simulator(calls_per_day=500).all_calls()
    for call in calls:
        status, result = call["call_status"], call["call_result"]
        assert status in CALL_STATUSES
        if status in NON_TERMINAL:
            assert result is None and call["finished_at"] is None
            assert call["duration"] in (None, 0)
        else:
            assert result in CALL_RESULTS and result == RESULT_OF[status]
        if call["direction"] == "inbound":
            assert call["campaign_id"] is None
        if result != "answered":
            assert call["call_analysis"] is None
        else:
            assert set(call["call_analysis"]) == {"summary", "sentiment"}


def test_timing_follows_creation():
    for call in make_simulator(calls_per_day=500).all_calls():
        created = parse_timestamp(call["created_at"])
        if call["start_at"] is not None:
            lag = (parse_timestamp(call["start_at"]) - created).total_seconds()
            assert 1 <= lag <= 8
        if call["finished_at"] is not None:
            length = parse_timestamp(call["finished_at"]) - parse_timestamp(call["start_at"])
            assert length.total_seconds() == call["duration"]


def test_non_terminal_calls_only_in_the_last_hours_of_the_last_day():
    calls = make_simulator(calls_per_day=500).all_calls()
    running = [call for call in calls if call["call_status"] in NON_TERMINAL]
    assert running, "the last day always has a call still running at midnight"
    for call in running:
        created = parse_timestamp(call["created_at"])
        assert created.date() == END and created.hour >= 22
    last = make_simulator().calls_for_day(END)[-1]
    assert last["call_status"] == "in-progress"


def test_mixes_look_like_a_real_account():
    calls = make_simulator(calls_per_day=2000, start_date=START, end_date=START).all_calls()
    statuses = Counter(call["call_status"] for call in calls)
    assert statuses.most_common(1)[0][0] == "completed"
    assert {"no-answer", "busy", "failed", "voice_mail", "answering-machine"} <= set(statuses)
    directions = Counter(call["direction"] for call in calls)
    assert set(directions) == {"inbound", "outbound"}
    sentiments = {(call["call_analysis"] or {}).get("sentiment") for call in calls}
    assert {"positive", "neutral", "negative"} <= sentiments
    assert sentiments - {"positive", "neutral", "negative", None}, "case or space variants"
    endings = Counter(_timestamp_style(call["created_at"]) for call in calls)
    assert endings["Z"] > 0.9 * len(calls)
    assert endings["+00:00"] > 0 and endings["fraction"] > 0


def test_personal_data_is_fake():
    calls = make_simulator().all_calls()
    assert 3 <= len({call["agent_id"] for call in calls}) <= 6
    for call in calls:
        contact = call["contact"]
        if contact is not None:
            assert contact["email"].endswith("@example.com")
            assert contact["phone_number"].startswith("+")
        assert call["from"].startswith("+")


def _timestamp_style(value: str) -> str:
    if value.endswith("+00:00"):
        return "+00:00"
    return "fraction" if "." in value else "Z"
