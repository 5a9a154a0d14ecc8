"""Transcript tables against the simulator: exact rows per call, one fetch, JSON equals TOON."""

from collections import Counter

import pyarrow.parquet as pq
import pytest

from contactship_pipeline.schema import CALLS_SCHEMA
from contactship_pipeline.settings import TranscriptOptions
from contactship_pipeline_tests import conftest
from contactship_pipeline_tests.conftest import run_days

DAY = "2026-03-15"
TABLES = ("calls", "call_turns", "call_words", "call_tool_events", "agent_daily")
TRANSCRIPT_TABLES = ("call_turns", "call_words", "call_tool_events")
INCLUDE_PARAMS = ("include_transcript", "include_words", "include_tools", "transcript_format")
EVERYTHING = {"enabled": True, "words": True, "tools": True}


def raw_calls(simulator, day: str) -> list[dict]:
    """The day's calls with every transcript field, paged by hand."""
    flags = ("include_transcript", "include_words", "include_tools")
    return conftest.raw_calls(simulator, day, **dict.fromkeys(flags, "true"))


def read(data_dir, table: str):
    return pq.read_table(data_dir / "contactship" / table / f"{DAY}.parquet")


def page_requests(simulator, since: int) -> list[dict]:
    return [r["params"] for r in simulator.requests[since:] if r["params"].get("limit") != "0"]


@pytest.fixture(scope="module")
def loaded(simulator, tmp_path_factory):
    """The day loaded three times: transcripts as JSON, as TOON, and switched off."""
    folders, requests_made = {}, {}
    for name, options in (
        ("json", TranscriptOptions(**EVERYTHING, transcript_format="json")),
        ("toon", TranscriptOptions(**EVERYTHING, transcript_format="toon")),
        ("off", TranscriptOptions()),
    ):
        folders[name] = tmp_path_factory.mktemp(name)
        before = len(simulator.requests)
        run_days(simulator.base_url, folders[name], [DAY], transcripts=options)
        requests_made[name] = page_requests(simulator, before)
    return folders, requests_made


def test_each_call_has_exactly_its_turns_words_and_tool_events(simulator, loaded):
    folders, _ = loaded
    raw = raw_calls(simulator, DAY)
    answered = [call for call in raw if call["chat_history"]]
    assert len(raw) == 41 and len(answered) > 20

    def per_call(table: str) -> Counter:
        return Counter(read(folders["json"], table)["call_id"].to_pylist())

    assert per_call("call_turns") == {c["id"]: len(c["chat_history"]) for c in answered}
    assert per_call("call_words") == {
        c["id"]: sum(len(turn["words"]) for turn in c["chat_history"]) for c in answered
    }
    tool_events = {
        c["id"]: sum(entry["role"].startswith("tool") for entry in c["chat_history_with_tools"])
        for c in raw
    }
    assert per_call("call_tool_events") == {k: n for k, n in tool_events.items() if n}
    assert sum(tool_events.values()) > 0


def test_turns_words_and_tool_events_carry_the_values_sent(simulator, loaded):
    folders, _ = loaded
    call = next(c for c in raw_calls(simulator, DAY) if len(c["chat_history_with_tools"]) > 12)
    turns = [
        r for r in read(folders["json"], "call_turns").to_pylist() if r["call_id"] == call["id"]
    ]
    assert [(r["turn_index"], r["role"], r["text"], r["start_s"], r["end_s"]) for r in turns] == [
        (i, t["role"], t["content"], t["start"], t["end"])
        for i, t in enumerate(call["chat_history"])
    ]
    assert {r["raw"] for r in turns} == {None}
    words = [
        r for r in read(folders["json"], "call_words").to_pylist() if r["call_id"] == call["id"]
    ]
    assert [
        (r["turn_index"], r["word_index"], r["word"], r["start_s"], r["end_s"]) for r in words
    ] == [
        (i, j, w["word"], w["start"], w["end"])
        for i, t in enumerate(call["chat_history"])
        for j, w in enumerate(t["words"])
    ]
    events = [
        r
        for r in read(folders["json"], "call_tool_events").to_pylist()
        if r["call_id"] == call["id"]
    ]
    sent = [e for e in call["chat_history_with_tools"] if e["role"].startswith("tool")]
    assert [r["kind"] for r in events] == [e["role"].removeprefix("tool_call_") for e in sent]
    assert [r["tool_call_id"] for r in events] == [e["tool_call_id"] for e in sent]
    assert [r["arguments"] for r in events if r["kind"] == "invocation"] == [
        e["arguments"] for e in sent if "arguments" in e
    ]
    names = {e["tool_call_id"]: e["name"] for e in sent if "name" in e}
    assert [r["tool_name"] for r in events] == [names[e["tool_call_id"]] for e in sent]
    assert [r["event_index"] for r in events] == list(range(len(sent)))


def test_json_and_toon_give_identical_tables(loaded):
    folders, requests_made = loaded
    for table in TABLES:
        assert read(folders["json"], table).equals(read(folders["toon"], table)), table
    assert {r["transcript_format"] for r in requests_made["toon"]} == {"toon"}
    assert {r["transcript_format"] for r in requests_made["json"]} == {"json"}


def test_the_day_is_paged_once_with_every_include_flag(loaded):
    _, requests_made = loaded
    # The three days around the day hold 121 calls: two pages of 100, with or without.
    assert [r["offset"] for r in requests_made["json"]] == ["0", "100"]
    assert [r["offset"] for r in requests_made["off"]] == ["0", "100"]
    for params in requests_made["json"]:
        assert {k: params[k] for k in INCLUDE_PARAMS} == {
            "include_transcript": "true",
            "include_words": "true",
            "include_tools": "true",
            "transcript_format": "json",
        }


def test_switched_off_nothing_is_asked_for_and_no_transcript_table_is_written(loaded):
    folders, requests_made = loaded
    assert requests_made["off"] and not any(
        set(INCLUDE_PARAMS) & set(params) for params in requests_made["off"]
    )
    written = sorted(p.name for p in (folders["off"] / "contactship").iterdir())
    assert written == ["agent_daily", "calls", "disconnections_daily", "sentiment_daily"]
    assert read(folders["off"], "calls").schema.remove_metadata() == CALLS_SCHEMA
    agents = read(folders["off"], "agent_daily")
    for column in ("turns", "agent_turn_share", "agent_talk_share"):
        assert agents[column].null_count == agents.num_rows
    # The calls table is the same whether transcripts were fetched or not.
    assert read(folders["off"], "calls").equals(read(folders["json"], "calls"))


def test_selecting_calls_alone_asks_for_no_transcript(simulator, tmp_path):
    before = len(simulator.requests)
    options = TranscriptOptions(**EVERYTHING)
    run_days(
        simulator.base_url, tmp_path, [DAY], transcripts=options, selection="contactship/calls"
    )
    assert not any(set(INCLUDE_PARAMS) & set(p) for p in page_requests(simulator, before))
    assert sorted(p.name for p in (tmp_path / "contactship").iterdir()) == ["calls"]


def test_selecting_turns_alone_asks_for_turns_alone(simulator, tmp_path):
    before = len(simulator.requests)
    options = TranscriptOptions(**EVERYTHING, transcript_format="toon")
    run_days(
        simulator.base_url, tmp_path, [DAY], transcripts=options, selection="contactship/call_turns"
    )
    pages = page_requests(simulator, before)
    assert [{k: p[k] for k in INCLUDE_PARAMS if k in p} for p in pages] == [
        {"include_transcript": "true", "transcript_format": "toon"}
    ] * 2
    assert sorted(p.name for p in (tmp_path / "contactship").iterdir()) == ["call_turns"]
