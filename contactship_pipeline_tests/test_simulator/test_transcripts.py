"""The include flags: transcripts, word timing, tool calls, and the TOON encoding."""

import json

import toon_format

from contactship_pipeline_tests.test_simulator.conftest import get_calls

DAY = {"date_from": "2026-03-15", "date_to": "2026-03-15", "limit": 100, "order": "asc"}


def _page(sim, **flags) -> list[dict]:
    params = {**DAY, **{name: value for name, value in flags.items()}}
    response = get_calls(sim, params)
    assert response.status_code == 200
    return response.json()["data"]


def test_no_transcript_fields_unless_asked(sim):
    for call in _page(sim):
        assert "chat_history" not in call and "chat_history_with_tools" not in call


def test_chat_history_has_turns_for_answered_calls_only(sim):
    for call in _page(sim, include_transcript="true"):
        turns = call["chat_history"]
        if call["call_result"] == "answered":
            assert 4 <= len(turns) <= 20
        else:
            assert turns == []
        for turn in turns:
            assert set(turn) == {"role", "content", "start", "end"}
            assert turn["role"] in ("agent", "user") and turn["content"]
            assert 0 <= turn["start"] < turn["end"]
        assert "chat_history_with_tools" not in call


def test_words_carry_timing_in_seconds(sim):
    calls = _page(sim, include_transcript="true", include_words="true")
    turns = [turn for call in calls for turn in call["chat_history"]]
    assert turns
    for turn in turns:
        assert [word["word"] for word in turn["words"]] == turn["content"].split()
        for word in turn["words"]:
            assert isinstance(word["start"], float) and isinstance(word["end"], float)
            assert turn["start"] <= word["start"] < word["end"] <= turn["end"] + 1e-9


def test_words_need_include_transcript(sim):
    for call in _page(sim, include_tools="true", include_words="true"):
        assert all("words" not in entry for entry in call["chat_history_with_tools"])


def test_tools_are_interleaved_with_the_same_turns(sim):
    calls = _page(sim, include_transcript="true", include_tools="true")
    invocations = []
    for call in calls:
        entries = call["chat_history_with_tools"]
        turns = [entry for entry in entries if entry["role"] in ("agent", "user")]
        assert turns == call["chat_history"]
        for entry in entries:
            if entry["role"] == "tool_call_invocation":
                assert set(entry) == {"role", "tool_call_id", "name", "arguments"}
                invocations.append(json.loads(entry["arguments"]))
            elif entry["role"] == "tool_call_result":
                assert set(entry) == {"role", "tool_call_id", "content"}
    assert invocations, "some calls use tools"
    assert {} in invocations, "some tools take no arguments"
    assert any(invocation for invocation in invocations)


def test_toon_encodes_the_same_values(sim):
    flags = {"include_transcript": "true", "include_words": "true", "include_tools": "true"}
    as_json = _page(sim, **flags)
    as_toon = _page(sim, **flags, transcript_format="toon")
    for plain, encoded in zip(as_json, as_toon, strict=True):
        for field in ("chat_history", "chat_history_with_tools"):
            assert isinstance(encoded[field], str)
            assert toon_format.decode(encoded[field]) == plain[field]


def test_transcripts_are_the_same_on_every_request(sim):
    first = _page(sim, include_transcript="true", include_tools="true")
    second = get_calls(
        sim, {**DAY, "include_transcript": "true", "include_tools": "true", "limit": 7}
    )
    assert second.json()["data"] == first[:7]
