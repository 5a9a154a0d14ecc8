"""Transcripts of unknown shape: kept as sent in `raw`, counted, and the call never dropped."""

from datetime import date

import pyarrow.parquet as pq
import pytest
import toon_format

from contactship_pipeline.settings import TranscriptOptions
from contactship_pipeline_tests.conftest import API_KEY, run_days

DAY = date(2026, 3, 12)
ODD_TURNS = [
    "just a string",
    {"role": "agent", "content": "Hello", "start": 0, "end": 1.5, "sentiment": "odd"},
    {"role": "user", "content": "Hi", "start": "soon", "end": 2.0},
    {"role": "agent", "content": "Fine", "start": 2.0, "end": 3.0},
]
ODD_TOOLS = [
    {"role": "agent", "content": "Hello", "start": 0, "end": 1.5},
    {"role": "tool_call_invocation", "tool_call_id": "t1", "name": "lookup", "arguments": {}},
    {"role": "tool_call_result", "tool_call_id": "t1", "content": []},
    {"role": "tool_mystery", "x": 1},
    42,
]
# Three turns declared, two sent: a transcript cut off on its way.
CUT_TOON = "\n".join(toon_format.encode(ODD_TURNS[3:] * 3).splitlines()[:-1])


@pytest.fixture(scope="module")
def odd_day(tmp_path_factory):
    """A day whose first four calls carry odd transcripts, loaded as JSON and as TOON."""
    from contactship_pipeline.simulator import Simulator

    with Simulator(seed=11, start_date=DAY, end_date=DAY, calls_per_day=6, api_key=API_KEY) as sim:
        first, second, third, fourth, *_ = sim.calls_for_day(DAY)
        sim.upsert_calls(
            [
                {**first, "chat_history": {"turns": "an object"}, "chat_history_with_tools": 7},
                {
                    **second,
                    "chat_history": "neither TOON nor JSON: [",
                    "chat_history_with_tools": [],
                },
                {**third, "chat_history": ODD_TURNS, "chat_history_with_tools": ODD_TOOLS},
                {**fourth, "chat_history": CUT_TOON},
            ]
        )
        ids = [call["id"] for call in sim.calls_for_day(DAY)]
        folders, results = {}, {}
        for fmt in ("json", "toon"):
            folders[fmt] = tmp_path_factory.mktemp(fmt)
            options = TranscriptOptions(True, True, True, fmt)
            (results[fmt],) = run_days(
                sim.base_url, folders[fmt], [DAY.isoformat()], transcripts=options
            )
    return ids, folders, results


def _rows(folder, table: str, call_id: str) -> list[dict]:
    rows = pq.read_table(folder / "contactship" / table / f"{DAY}.parquet").to_pylist()
    return [
        {k: v for k, v in row.items() if k != "call_id"}
        for row in rows
        if row["call_id"] == call_id
    ]


def test_no_call_is_dropped_for_its_transcript(odd_day):
    ids, folders, _ = odd_day
    calls = pq.read_table(folders["json"] / "contactship" / "calls" / f"{DAY}.parquet")
    assert calls["id"].to_pylist() == ids and len(ids) == 6


def test_unreadable_values_are_kept_as_sent(odd_day):
    ids, folders, _ = odd_day
    turn = {"role": None, "text": None, "start_s": None, "end_s": None}
    assert _rows(folders["json"], "call_turns", ids[0]) == [
        {"turn_index": None, **turn, "raw": '{"turns": "an object"}'}
    ]
    assert _rows(folders["json"], "call_turns", ids[1]) == [
        {"turn_index": None, **turn, "raw": "neither TOON nor JSON: ["}
    ]
    assert _rows(folders["json"], "call_turns", ids[2]) == [
        {"turn_index": 0, **turn, "raw": '"just a string"'},
        {
            "turn_index": 1,
            "role": "agent",
            "text": "Hello",
            "start_s": 0.0,
            "end_s": 1.5,
            "raw": (
                '{"role": "agent", "content": "Hello", "start": 0, "end": 1.5, "sentiment": "odd"}'
            ),
        },
        {
            "turn_index": 2,
            "role": "user",
            "text": "Hi",
            "start_s": None,
            "end_s": 2.0,
            "raw": '{"role": "user", "content": "Hi", "start": "soon", "end": 2}',
        },
        {
            "turn_index": 3,
            "role": "agent",
            "text": "Fine",
            "start_s": 2.0,
            "end_s": 3.0,
            "raw": None,
        },
    ]
    assert CUT_TOON.startswith("[3]") and CUT_TOON.count("\n") == 2
    assert _rows(folders["json"], "call_turns", ids[3]) == [
        {"turn_index": None, **turn, "raw": CUT_TOON}
    ]


def test_tool_events_of_any_shape_fit_one_schema(odd_day):
    ids, folders, _ = odd_day
    event = {"kind": None, "tool_call_id": None, "tool_name": None, "arguments": None}
    assert _rows(folders["json"], "call_tool_events", ids[0]) == [
        {"event_index": None, "after_turn_index": None, **event, "result": None, "raw": "7"}
    ]
    assert _rows(folders["json"], "call_tool_events", ids[1]) == []
    tool = {"tool_call_id": "t1", "tool_name": "lookup", "raw": None}
    assert _rows(folders["json"], "call_tool_events", ids[2]) == [
        {
            "event_index": 0,
            "after_turn_index": 0,
            "kind": "invocation",
            **tool,
            "arguments": "{}",
            "result": None,
        },
        {
            "event_index": 1,
            "after_turn_index": 0,
            "kind": "result",
            **tool,
            "arguments": None,
            "result": "[]",
        },
        {
            "event_index": 2,
            "after_turn_index": 0,
            **event,
            "kind": "tool_mystery",
            "result": None,
            "raw": '{"role": "tool_mystery", "x": 1}',
        },
        {"event_index": 3, "after_turn_index": 0, **event, "result": None, "raw": "42"},
    ]


def test_what_could_not_be_read_is_counted(odd_day):
    _, _, results = odd_day
    metadata = {
        event.asset_key.path[-1]: event.materialization.metadata
        for event in results["json"].get_asset_materialization_events()
    }
    counts = {
        table: (
            metadata[table]["unreadable_fields"].value,
            metadata[table]["unreadable_entries"].value,
        )
        for table in ("call_turns", "call_tool_events")
    }
    assert counts == {"call_turns": (3, 3), "call_tool_events": (1, 2)}


def test_odd_shapes_read_the_same_whichever_format_was_asked(odd_day):
    _, folders, _ = odd_day
    for table in ("calls", "call_turns", "call_words", "call_tool_events", "agent_daily"):
        path = f"contactship/{table}/{DAY}.parquet"
        assert pq.read_table(folders["json"] / path).equals(pq.read_table(folders["toon"] / path))
