"""How each voice agent did on a day, from the day's calls and turns: plain Python, no Dagster."""

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import pyarrow as pa

from contactship_pipeline.aggregates import normalise_label
from contactship_pipeline.schema import AGENT_DAILY_SCHEMA

SENTIMENTS = ("positive", "neutral", "negative")
# How a call without a disconnection reason is named among the reasons.
NO_REASON = "(none)"
AGENT_ROLE = "agent"


@dataclass
class _Talk:
    turns: int = 0
    agent_turns: int = 0
    seconds: float = 0.0
    agent_seconds: float = 0.0


@dataclass
class _Calls:
    answered: int = 0
    durations: list[float] = field(default_factory=list)
    sentiments: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    count: int = 0


def agent_daily(calls: pd.DataFrame, day: date, turns: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per agent (null agent included): calls, answered share, mean and p90 duration,
    sentiment shares and disconnection reasons; with `turns`, the agent's share of turns and
    of talk time. Most calls first.

    Args:
        calls: the day's calls table.
        day: the partition's day.
        turns: the day's `call_turns` table, or None when transcripts are off (the talk
            columns are then null).
    """
    by_agent = _calls_by_agent(calls)
    talk = _talk_by_agent(calls, turns) if turns is not None else None
    ordered = sorted(by_agent, key=lambda agent: (-by_agent[agent].count, agent is None, agent))
    rows = [_row(day, agent, by_agent[agent], talk) for agent in ordered]
    columns = {name: [row[name] for row in rows] for name in AGENT_DAILY_SCHEMA.names}
    return pa.Table.from_pydict(columns, schema=AGENT_DAILY_SCHEMA).to_pandas(
        types_mapper=pd.ArrowDtype
    )


def _calls_by_agent(calls: pd.DataFrame) -> dict[str | None, _Calls]:
    columns = zip(
        _values(calls["agent_id"]),
        _values(normalise_label(calls["call_result"])),
        _values(calls["duration"]),
        _values(normalise_label(calls["call_analysis_sentiment"])),
        _values(normalise_label(calls["disconnection_reason"])),
        strict=True,
    )
    by_agent: dict[str | None, _Calls] = {}
    for agent, result, duration, sentiment, reason in columns:
        totals = by_agent.setdefault(agent, _Calls())
        totals.count += 1
        totals.answered += result == "answered"
        if duration is not None:
            totals.durations.append(float(duration))
        totals.sentiments[
            sentiment if sentiment in SENTIMENTS or sentiment is None else "other"
        ] += 1
        totals.reasons[reason] += 1
    return by_agent


def _talk_by_agent(calls: pd.DataFrame, turns: pd.DataFrame) -> dict[str | None, _Talk]:
    """Turns and spoken seconds per agent; a turn without both times adds no seconds."""
    agent_of = dict(zip(_values(calls["id"]), _values(calls["agent_id"]), strict=True))
    talk = {agent: _Talk() for agent in agent_of.values()}
    columns = zip(
        *(_values(turns[name]) for name in ("call_id", "turn_index", "start_s", "end_s")),
        _values(normalise_label(turns["role"])),
        strict=True,
    )
    for call_id, turn_index, start, end, role in columns:
        if turn_index is None or call_id not in agent_of:
            continue  # a transcript that could not be read has no turns to count
        totals = talk[agent_of[call_id]]
        by_agent = role == AGENT_ROLE
        seconds = end - start if start is not None and end is not None and end >= start else 0.0
        totals.turns += 1
        totals.agent_turns += by_agent
        totals.seconds += seconds
        totals.agent_seconds += seconds if by_agent else 0.0
    return talk


def _row(day: date, agent: str | None, totals: _Calls, talk: dict | None) -> dict:
    count = totals.count
    reasons = sorted(totals.reasons.items(), key=lambda item: (-item[1], item[0] is None, item[0]))
    named = [reason for reason, _ in reasons if reason is not None]
    durations = sorted(totals.durations)
    row = {
        "day": day,
        "agent_id": agent,
        "calls": count,
        "answered_share": totals.answered / count,
        "mean_duration_s": sum(durations) / len(durations) if durations else None,
        "p90_duration_s": percentile(durations, 0.9),
        **{f"{s}_share": totals.sentiments[s] / count for s in SENTIMENTS},
        "other_sentiment_share": totals.sentiments["other"] / count,
        "no_sentiment_share": totals.sentiments[None] / count,
        "top_disconnection_reason": named[0] if named else None,
        "disconnection_reasons": json.dumps({reason or NO_REASON: n for reason, n in reasons}),
        "turns": None,
        "agent_turn_share": None,
        "agent_talk_share": None,
    }
    if talk is not None:
        spoken = talk.get(agent, _Talk())
        row["turns"] = spoken.turns
        row["agent_turn_share"] = spoken.agent_turns / spoken.turns if spoken.turns else None
        row["agent_talk_share"] = (
            spoken.agent_seconds / spoken.seconds if spoken.seconds > 0 else None
        )
    return row


def percentile(ordered: list[float], fraction: float) -> float | None:
    """The value at `fraction` of sorted values, linear between the two nearest ranks."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _values(series: pd.Series) -> list:
    """A column as Python values, nulls as None whatever the pandas dtype."""
    return pa.array(series, from_pandas=True).to_pylist()
