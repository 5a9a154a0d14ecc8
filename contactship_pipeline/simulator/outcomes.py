"""How a call ended: status, result, disconnection reason, timing and analysis.

The statuses are the vendor page's own values; the disconnection reasons are an open
set (see API_NOTES.md), so now and then a value no list mentions shows up.
"""

import random
from datetime import datetime, timedelta

from contactship_pipeline.simulator.draws import Weighted
from contactship_pipeline.simulator.timestamps import format_timestamp

NON_TERMINAL_STATUSES = ("in-progress", "in-queue", "scheduled")
_TERMINAL = Weighted(
    {
        "completed": 70,
        "no-answer": 10,
        "voice_mail": 6,
        "answering-machine": 4,
        "busy": 5,
        "failed": 4,
        "incomplete": 1,
    }
)
RESULT_BY_STATUS = {
    "completed": "answered",
    "incomplete": "answered",
    "voice_mail": "voicemail",
    "answering-machine": "voicemail",
    "no-answer": "no_answer",
    "busy": "busy",
    "failed": "failed",
}
_REASONS = {
    "completed": Weighted(
        {
            "user_hangup": 40,
            "agent_hangup": 35,
            "call_transfer": 12,
            "inactivity": 8,
            "max_duration_reached": 2,
        }
    ),
    "incomplete": Weighted({"inactivity": 2, "user_hangup": 1}),
    "voice_mail": Weighted({"voicemail_reached": 1}),
    "answering-machine": Weighted({"voicemail_reached": 4, "ivr_reached": 1}),
    "no-answer": Weighted({"dial_no_answer": 5, "user_declined": 1}),
    "busy": Weighted({"dial_busy": 1}),
    "failed": Weighted(
        {
            "dial_failed": 4,
            "invalid_destination": 2,
            "telephony_provider_unavailable": 1,
            "marked_as_spam": 1,
        }
    ),
}
# Error reasons appear and disappear between vendor releases; clients must keep them anyway.
_UNEXPECTED_REASONS = ("error_llm_websocket_runtime", "concurrency_limit_reached")
_DURATIONS = {"completed": (20, 900), "incomplete": (5, 60), "voice_mail": (12, 60)}
_DURATIONS["answering-machine"] = _DURATIONS["voice_mail"]

_SENTIMENTS = Weighted({"positive": 50, "neutral": 33, "negative": 17})
_SENTIMENT_VARIANTS = ("Positive", " negative ", "NEUTRAL", "unknown")
_SUMMARIES = {
    "positive": (
        "Customer confirmed the appointment and thanked the agent.",
        "Caller asked about the premium plan and booked a demo.",
        "Contact agreed to receive the proposal by email.",
    ),
    "neutral": (
        "Caller asked for opening hours and ended the call.",
        "Contact requested a call back next week.",
        "Customer updated the delivery address.",
    ),
    "negative": (
        "Customer complained about a late delivery and asked for a refund.",
        "Contact asked not to be called again.",
        "Caller was unhappy with the waiting time.",
    ),
}


def terminal_status(rng: random.Random) -> str:
    """A finished call's status, mostly `completed`."""
    return _TERMINAL.pick(rng)


def outcome(rng: random.Random, status: str, created: datetime, style: str) -> dict:
    """The fields that depend on how the call went, for one `call_status`.

    Args:
        rng: the day's (or the call's) random generator.
        status: one of the documented `call_status` values.
        created: the creation instant, sub-seconds included.
        style: the timestamp style the call writes everywhere.
    """
    if status in NON_TERMINAL_STATUSES:
        started = created + timedelta(seconds=rng.randint(1, 8))
        return {
            "call_status": status,
            "call_result": None,
            "disconnection_reason": None,
            "finished_at": None,
            "start_at": format_timestamp(started, style) if status == "in-progress" else None,
            "duration": None if status != "in-progress" or rng.random() < 0.5 else 0,
            "call_analysis": None,
        }
    start = created + timedelta(seconds=rng.randint(1, 8))
    duration = _duration(rng, status)
    finished = None if duration is None else start + timedelta(seconds=duration)
    return {
        "call_status": status,
        "call_result": RESULT_BY_STATUS[status],
        "disconnection_reason": _reason(rng, status),
        "finished_at": None if finished is None else format_timestamp(finished, style),
        "start_at": format_timestamp(start, style),
        "duration": duration,
        "call_analysis": analysis(rng) if RESULT_BY_STATUS[status] == "answered" else None,
    }


def analysis(rng: random.Random) -> dict:
    """A summary and a sentiment, written with the case and space drift real data has."""
    sentiment = _SENTIMENTS.pick(rng)
    summary = rng.choice(_SUMMARIES[sentiment])
    if rng.random() < 0.05:
        sentiment = rng.choice(_SENTIMENT_VARIANTS)
    return {"summary": summary, "sentiment": sentiment}


def _duration(rng: random.Random, status: str) -> int | None:
    if status in _DURATIONS:
        low, high = _DURATIONS[status]
        return rng.randint(low, high)
    # A failed dial sometimes never gets a duration at all.
    if status == "failed" and rng.random() < 0.5:
        return None
    return 0


def _reason(rng: random.Random, status: str) -> str:
    if rng.random() < 0.01:
        return rng.choice(_UNEXPECTED_REASONS)
    return _REASONS[status].pick(rng)
