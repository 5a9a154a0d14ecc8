"""One person's two calls, with transcripts written to hold their values in every form.

The first call's turns, words and tool events say the person's name, number and address as
written by people (any case, with spaces, a trunk zero) and hold another address, another number,
a date and an amount; the second's transcript is unreadable text. `expected_for_person` gives
each table's free text for them in a mode, and how many values that replaced.
"""

from datetime import date

from contactship_pipeline.simulator import Simulator

PERSON = {
    "from": "+61491570156",
    "full_name": "Ottilie Varga",
    "phone_number": "+61491570157",
    "email": "ottilie.varga@example.org",
}
# What the person's first call says.
SAID = [
    "Am I speaking with Ottilie Varga?",
    "Yes, ottilie here. Call me back on 0491 570 157 or at +61 491 570 157.",
    "I will email ottilie.varga@example.org and copy accounts@varga-family.net.",
    "Order 2026-03-12 cost 1234.56, reference 5551234567.",
]
# A key the parser does not know: the turn is kept whole in `raw` too.
UNREADABLE_TURN = {"role": "user", "content": "It is OTTILIE.VARGA@EXAMPLE.ORG", "mood": "calm"}
LOOKUP = '{"phone_number": "+61491570157", "callback": 61491570156}'
FOUND = '{"name": "Ottilie Varga", "email": "OTTILIE.VARGA@EXAMPLE.ORG", "since": "2026-03-12"}'
SMS = {"role": "tool_call_invocation", "tool_call_id": "t2", "name": "send_sms"}
LOST = "transcript lost for Ottilie Varga, +61491570157: ["


def _turn(index: int, text: str) -> dict:
    words = [
        {"word": word, "start": index * 10 + n * 0.5, "end": index * 10 + n * 0.5 + 0.4}
        for n, word in enumerate(text.split())
    ]
    return {"role": "agent" if index % 2 == 0 else "user", "content": text, "start": index * 10.0,
            "end": index * 10.0 + 9, "words": words}  # fmt: skip


def persons_calls(sim: Simulator, day: date) -> list[dict]:
    """The simulator's first two calls of `day`, made the person's, with these transcripts."""
    first, second = sim.calls_for_day(day)[:2]
    contact = {key: PERSON[key] for key in ("full_name", "phone_number", "email")}
    turns = [_turn(index, text) for index, text in enumerate(SAID)]
    tools = [
        {key: turns[0][key] for key in ("role", "content")},
        {**SMS, "tool_call_id": "t1", "name": "lookup_contact", "arguments": LOOKUP},
        {"role": "tool_call_result", "tool_call_id": "t1", "content": FOUND},
        {**SMS, "arguments": {"to": "+61491570157"}, "note": "for Ottilie"},
    ]
    person = {"from": PERSON["from"], "contact": {**(first["contact"] or {}), **contact}}
    first = {**first, **person, "chat_history": [*turns, UNREADABLE_TURN]}
    second = {**second, **person, "chat_history": LOST, "chat_history_with_tools": []}
    return [{**first, "chat_history_with_tools": tools}, second]


def expected_for_person(mark) -> dict[str, tuple[list, int]]:
    """(the person's rows' free text, in order, and the values replaced) by table."""
    keys = ("full_name", "phone_number", "email", "from")
    name, phone, email, caller = (mark(PERSON[key]) for key in keys)
    turns = [
        (f"Am I speaking with {name}?", None),
        (f"Yes, {name} here. Call me back on {phone} or at {phone}.", None),
        (f"I will email {email} and copy {mark('accounts@varga-family.net')}.", None),
        (f"Order 2026-03-12 cost 1234.56, reference {mark('5551234567')}.", None),
        (f"It is {email}", f'{{"role": "user", "content": "It is {email}", "mood": "calm"}}'),
        (None, f"transcript lost for {name}, {phone}: ["),
    ]
    words = [
        *["Am", "I", "speaking", "with", name, name],
        *["Yes,", name, "here.", "Call", "me", "back", "on", phone, phone, phone, "or", "at"],
        *[phone] * 4,
        *["I", "will", "email", email, "and", "copy", mark("accounts@varga-family.net")],
        *["Order", "2026-03-12", "cost", "1234.56,", "reference", mark("5551234567")],
    ]
    sms = '{"role": "tool_call_invocation", "tool_call_id": "t2", "name": "send_sms", '
    sms += f'"arguments": {{"to": "{phone}"}}, "note": "for {name}"}}'
    events = [
        (f'{{"phone_number": "{phone}", "callback": "{caller}"}}', None, None),
        (None, f'{{"name": "{name}", "email": "{email}", "since": "2026-03-12"}}', None),
        (f'{{"to": "{phone}"}}', None, sms),
    ]
    return {"call_turns": (turns, 11), "call_words": (words, 13), "call_tool_events": (events, 7)}
