"""`agent_daily` equals a recomputation from the calls and call_turns files."""

import json
from collections import defaultdict
from datetime import date

import numpy as np
import pyarrow.parquet as pq
import pytest

from contactship_pipeline.settings import TranscriptOptions
from contactship_pipeline_tests.conftest import run_days

DAY = "2026-03-15"


def _label(value):
    return value.strip().lower() or None if isinstance(value, str) else None


def _expected(calls: list[dict], turns: list[dict]) -> dict:
    """Per agent, the row the README describes, computed straight from the rows."""
    by_agent = defaultdict(list)
    for call in calls:
        by_agent[call["agent_id"]].append(call)
    agent_of = {call["id"]: call["agent_id"] for call in calls}
    spoken = defaultdict(list)
    for turn in turns:
        spoken[agent_of[turn["call_id"]]].append(turn)
    rows = {}
    for agent, own in by_agent.items():
        n = len(own)
        durations = [c["duration"] for c in own if c["duration"] is not None]
        sentiments = [_label(c["call_analysis_sentiment"]) for c in own]
        reasons = [_label(c["disconnection_reason"]) for c in own]
        turns_of = spoken[agent]
        agent_turns = [t for t in turns_of if t["role"] == "agent"]
        talk = sum(t["end_s"] - t["start_s"] for t in turns_of)
        rows[agent] = {
            "calls": n,
            "answered_share": sum(c["call_result"] == "answered" for c in own) / n,
            "mean_duration_s": float(np.mean(durations)) if durations else None,
            "p90_duration_s": float(np.percentile(durations, 90)) if durations else None,
            "positive_share": sentiments.count("positive") / n,
            "neutral_share": sentiments.count("neutral") / n,
            "negative_share": sentiments.count("negative") / n,
            "no_sentiment_share": sentiments.count(None) / n,
            "reasons": {r or "(none)": reasons.count(r) for r in set(reasons)},
            "turns": len(turns_of),
            "agent_turn_share": len(agent_turns) / len(turns_of) if turns_of else None,
            "agent_talk_share": (
                sum(t["end_s"] - t["start_s"] for t in agent_turns) / talk if talk else None
            ),
        }
    return rows


def test_agent_daily_equals_a_recomputation_from_the_calls_and_turns_files(simulator, tmp_path):
    options = TranscriptOptions(enabled=True)
    run_days(simulator.base_url, tmp_path, [DAY], transcripts=options)
    folder = tmp_path / "contactship"
    calls = pq.read_table(folder / "calls" / f"{DAY}.parquet").to_pylist()
    turns = pq.read_table(folder / "call_turns" / f"{DAY}.parquet").to_pylist()
    assert not (folder / "call_words").exists() and not (folder / "call_tool_events").exists()
    expected = _expected(calls, turns)
    agents = pq.read_table(folder / "agent_daily" / f"{DAY}.parquet").to_pylist()

    assert sorted((a["agent_id"] for a in agents), key=str) == sorted(expected, key=str)
    assert [a["calls"] for a in agents] == sorted((a["calls"] for a in agents), reverse=True)
    assert sum(a["calls"] for a in agents) == len(calls) == 41
    for row in agents:
        want = expected[row["agent_id"]]
        assert row["day"] == date(2026, 3, 15)
        reasons = json.loads(row["disconnection_reasons"])
        assert reasons == want.pop("reasons")
        named = [reason for reason in reasons if reason != "(none)"]
        top = min(named, key=lambda reason: (-reasons[reason], reason)) if named else None
        assert row["top_disconnection_reason"] == top
        assert row["other_sentiment_share"] == 0.0
        for column, value in want.items():
            assert row[column] == pytest.approx(value), column
    assert sum(a["turns"] for a in agents) == len(turns) > 100
