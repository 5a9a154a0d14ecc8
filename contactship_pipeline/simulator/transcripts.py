"""Transcripts made on demand: the same call id always gets the same conversation.

Days can hold 100,000 calls, so nothing here is stored; a page builds the transcripts of
its own records only, and only when the request asks for them.
"""

import json
import random
from collections.abc import Callable

_AGENT_LINES = (
    "Hi, this is Alex calling from Contactship on behalf of your provider.",
    "Thanks for taking the call, do you have a minute to talk?",
    "I can see your account here, let me check that for you.",
    "We have a slot available tomorrow morning, would that work?",
    "Perfect, I have booked that for you.",
    "Is there anything else I can help you with today?",
    "I will send you a confirmation by email right after this call.",
    "Understood, I will pass that on to the team.",
)
_USER_LINES = (
    "Hello, yes, who is this?",
    "Sure, I have a couple of minutes.",
    "I wanted to ask about my last invoice.",
    "Tomorrow morning works for me.",
    "Can you call me back later instead?",
    "No, that is all, thank you.",
    "I am not really interested right now.",
    "Yes, please send it to my email.",
)
# What a caller now and then says about themselves, filled in from the call's contact.
_PERSONAL_LINES = (
    ("full_name", "Yes, this is {} speaking."),
    ("phone_number", "You can reach me on {} any time."),
    ("email", "My email is {} if that helps."),
)
# Tools the voice agent may call mid-conversation; some take no arguments at all. The contact
# is looked up by the number the call is about.
_TOOLS = (
    ("lookup_contact", lambda rng, phone: {"phone_number": phone}),
    ("check_availability", lambda rng, phone: {"date": f"2026-03-{rng.randint(10, 28)}"}),
    (
        "book_appointment",
        lambda rng, phone: {"slot": f"{rng.randint(8, 17):02d}:00", "minutes": 30},
    ),
    ("get_current_time", lambda rng, phone: {}),
)
TRANSCRIPT_FIELDS = ("chat_history", "chat_history_with_tools")
_SPEAKERS = ("agent", "user")


def chat_history(call: dict, include_words: bool) -> list[dict]:
    """The conversation turns of `call`, empty when nobody answered.

    Args:
        call: a stored call; its id, result, duration, contact and `from` are read. A user
            turn now and then gives the contact's name, number or e-mail address.
        include_words: add per-word timing (seconds) to every turn.
    """
    entries = _entries(call)
    return [_turn(entry, include_words) for entry in entries if entry["role"] in _SPEAKERS]


def chat_history_with_tools(call: dict, include_words: bool) -> list[dict]:
    """The same turns as `chat_history`, with tool invocations and results in between."""
    entries = []
    for entry in _entries(call):
        if entry["role"] in _SPEAKERS:
            entries.append(_turn(entry, include_words))
        else:
            entries.append({key: value for key, value in entry.items() if key != "words"})
    return entries


def _turn(entry: dict, include_words: bool) -> dict:
    turn = {key: entry[key] for key in ("role", "content", "start", "end")}
    if include_words:
        turn["words"] = entry["words"]
    return turn


def _entries(call: dict) -> list[dict]:
    if call.get("call_result") != "answered":
        return []
    rng = random.Random(f"transcript-{call.get('id')}")
    contact = call.get("contact") if isinstance(call.get("contact"), dict) else {}
    about_self = [(line, contact[key]) for key, line in _PERSONAL_LINES if contact.get(key)]
    phone = contact.get("phone_number") or call.get("from")
    duration = call.get("duration")
    seconds = float(duration) if isinstance(duration, int | float) and duration > 0 else 60.0
    turn_count = rng.randint(4, 20)
    slot = seconds / turn_count
    entries = []
    for index in range(turn_count):
        role = "agent" if index % 2 == 0 else "user"
        content = rng.choice(_AGENT_LINES if role == "agent" else _USER_LINES)
        if role == "user" and about_self and rng.random() < 0.2:
            line, value = rng.choice(about_self)
            content = line.format(value)
        start = round(index * slot, 3)
        # People talk at about two words a second; the rest of the slot is silence.
        end = round(start + min(slot * 0.85, 0.3 + 0.45 * len(content.split())), 3)
        entries.append(
            {
                "role": role,
                "content": content,
                "start": start,
                "end": end,
                "words": _words(content, start, end),
            }
        )
        if role == "agent" and rng.random() < 0.25:
            entries.extend(_tool_exchange(rng, phone, *rng.choice(_TOOLS)))
    if rng.random() < 0.5:
        entries.extend(_tool_exchange(rng, phone, "end_call", lambda rng, phone: {}))
    return entries


def _words(content: str, start: float, end: float) -> list[dict]:
    words = content.split()
    step = (end - start) / len(words)
    return [
        {"word": word, "start": round(start + i * step, 3), "end": round(start + (i + 1) * step, 3)}
        for i, word in enumerate(words)
    ]


def _tool_exchange(
    rng: random.Random, phone: str, name: str, make_arguments: Callable
) -> list[dict]:
    tool_call_id = f"tool_{rng.getrandbits(48):012x}"
    if name == "end_call":
        result = "Call ended."
    elif name == "get_current_time":
        result = json.dumps({"utc": f"2026-03-15T{rng.randint(8, 20):02d}:00:00Z"})
    else:
        result = json.dumps({"status": "ok", "found": rng.random() < 0.8})
    return [
        {
            "role": "tool_call_invocation",
            "tool_call_id": tool_call_id,
            "name": name,
            "arguments": json.dumps(make_arguments(rng, phone)),
        },
        {"role": "tool_call_result", "tool_call_id": tool_call_id, "content": result},
    ]
