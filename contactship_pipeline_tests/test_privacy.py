"""Personal values found in transcript text and replaced, value by value, with exact results."""

import json

import pyarrow as pa
import pytest

from contactship_pipeline.flatten import flatten_calls
from contactship_pipeline.personal_text import CallText, PersonalValues
from contactship_pipeline.policy import CallsPolicy
from contactship_pipeline.privacy import REDACTED, TranscriptRedactor, keyed_hash
from contactship_pipeline.schema import CALL_TOOL_EVENTS_SCHEMA, CALL_WORDS_SCHEMA

HASH_KEY = "transcript-hash-key-0123456789"
PERSON = PersonalValues(
    caller="+61491570156",
    full_name="Ottilie Varga",
    phone_number="+61491570157",
    email="ottilie.varga@example.org",
)
NAME, EMAIL = "<Ottilie Varga>", "<ottilie.varga@example.org>"
PHONE, FROM = "<+61491570157>", "<+61491570156>"


def _marked(value: str) -> str:
    """A marker that shows which value it stands for, so each expectation reads plainly."""
    return f"<{value}>"


@pytest.mark.parametrize(
    ("text", "expected", "count"),
    [
        ("Am I speaking with Ottilie Varga?", f"Am I speaking with {NAME}?", 1),
        ("OTTILIE varga, and ottilie alone", f"{NAME}, and {NAME} alone", 2),
        ("Varga-Smith is not Vargas", f"{NAME}-Smith is not Vargas", 1),
        ("call +61491570157 or +61491570156", f"call {PHONE} or {FROM}", 2),
        ("on 0491 570 157, +61 491 570 157 or 0061491570157", f"on {PHONE}, {PHONE} or {PHONE}", 3),
        ("read out: 0 4 9 1 5 7 0 1 5 7", f"read out: {PHONE}", 1),
        ("glued x+61491570157y", f"glued x{PHONE}y", 1),
        ("mail Ottilie.Varga@Example.org today", f"mail {EMAIL} today", 1),
        ("copy accounts@varga-family.net.", "copy <accounts@varga-family.net>.", 1),
        ("ring (202) 555-0143 or 202.555.0143", "ring <(202) 555-0143> or <202.555.0143>", 2),
        ("reference 5551234567!", "reference <5551234567>!", 1),
        # The own number first, then what follows it: not swallowed by one long number.
        ("+61491570157 555 1234", f"{PHONE} <555 1234>", 2),
        # Lower-casing changes the length of "İ": positions still land on the value.
        ("İİ Ottilie.VARGA@example.org, Ottilie", f"İİ {EMAIL}, {NAME}", 2),
    ],
)
def test_own_values_and_anything_shaped_like_one_are_replaced(text, expected, count):
    assert CallText(PERSON, _marked).plain(text) == (expected, count)


@pytest.mark.parametrize(
    "text",
    [
        "Booked for 2026-03-15 at 2026-03-15T08:00:00Z, 08:30 sharp",
        "That is 1234.5678 dollars, or 12 345 (six digits)",
        "id 123e4567-e89b-12d3-a456-426614174000, tool_0123456789ab, v1.2345678",
        "a hash 3f2a0c1b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a stays",
    ],
)
def test_dates_amounts_ids_and_ordinary_words_are_left_alone(text):
    assert CallText(PERSON, _marked).plain(text) == (text, 0)


def test_initials_and_placeholders_are_not_values():
    person = PersonalValues(caller="NA", full_name="Li J. Wu", phone_number="-", email="")
    text = "Li and J. Wu, NA - call later"
    assert CallText(person, _marked).plain(text) == (
        "<Li J. Wu> and J. <Li J. Wu>, NA - call later",
        2,
    )


def test_a_call_without_personal_values_loses_only_the_shapes():
    text = "Ottilie Varga on +61491570157 or ottilie.varga@example.org"
    expected = f"Ottilie Varga on {PHONE} or {EMAIL}"
    assert CallText(PersonalValues(), _marked).plain(text) == (expected, 2)


def test_json_text_stays_valid_json():
    call = CallText(PERSON, _marked)
    arguments = '{"phone_number": "+61491570157", "callback": 61491570156, "n": 12345678.5}'
    redacted, count = call.json(arguments)
    assert (redacted, count) == (
        f'{{"phone_number": "{PHONE}", "callback": "{FROM}", "n": 12345678.5}}',
        2,
    )
    assert json.loads(redacted)["callback"] == FROM
    escaped = '{"note": "caf\\u00e9 for Ottilie", "to": ["+61491570157"], "id": 5551234}'
    assert call.json(escaped) == (
        f'{{"note": "café for {NAME}", "to": ["{PHONE}"], "id": "<5551234>"}}',
        3,
    )
    assert call.json('"5551234567"') == ('"<5551234567>"', 1)
    # Not JSON (a cut-off TOON transcript, say): read as plain text.
    assert call.json("[2]: Ottilie Varga,+61491570157") == (f"[2]: {NAME},{PHONE}", 2)


def _words_table(turns: dict[tuple[str, int], str]) -> pa.Table:
    rows = [
        {"call_id": call_id, "turn_index": turn, "word_index": index, "word": word}
        for (call_id, turn), text in turns.items()
        for index, word in enumerate(text.split())
    ]
    return pa.Table.from_pylist(rows, schema=CALL_WORDS_SCHEMA)


def test_each_word_of_a_value_is_replaced_by_the_values_marker():
    table = _words_table(
        {
            ("c1", 0): "Yes, ottilie here. Call 0491 570 157 or mail ottilie.varga@example.org.",
            ("c1", 1): "It is Ottilie Varga, again",
            ("c2", 0): "Ottilie 0491 570 157",
        }
    )
    redactor = TranscriptRedactor({"c1": PERSON}, _marked)
    protected, count = redactor.protect("call_words", table)
    assert protected["word"].to_pylist() == [
        *["Yes,", NAME, "here.", "Call", PHONE, PHONE, PHONE, "or", "mail", EMAIL],
        *["It", "is", NAME, NAME, "again"],
        # Another call, whose contact is someone else: only the number's shape is found.
        *["Ottilie", "<0491 570 157>", "<0491 570 157>", "<0491 570 157>"],
    ]
    assert count == 1 + 3 + 1 + 2 + 3
    assert protected.schema == CALL_WORDS_SCHEMA
    assert protected.drop_columns(["word"]).equals(table.drop_columns(["word"]))


def test_tool_events_keep_their_schema_and_every_other_column():
    table = pa.Table.from_pylist(
        [
            {
                "call_id": "c1",
                "event_index": 0,
                "kind": "invocation",
                "tool_call_id": "tool_5551234567ab",
                "tool_name": "lookup_contact",
                "arguments": '{"phone_number": "+61491570157"}',
                "result": None,
                "raw": None,
            }
        ],
        schema=CALL_TOOL_EVENTS_SCHEMA,
    )
    protected, count = TranscriptRedactor({"c1": PERSON}, _marked).protect(
        "call_tool_events", table
    )
    assert protected["arguments"].to_pylist() == [f'{{"phone_number": "{PHONE}"}}']
    assert count == 1 and protected.schema == CALL_TOOL_EVENTS_SCHEMA
    assert protected.drop_columns(["arguments"]).equals(table.drop_columns(["arguments"]))


def test_hash_mode_marks_a_value_with_the_calls_tables_hash_and_drop_mode_with_a_marker():
    record = {
        "id": "c1",
        "created_at": "2026-03-15T10:00:00Z",
        "from": PERSON.caller,
        "contact": {"full_name": PERSON.full_name, "phone_number": PERSON.phone_number},
    }
    calls, _ = flatten_calls([record])
    words = _words_table({("c1", 0): "reach me on +61491570157"})
    hashing = CallsPolicy(personal_data="hash", hash_key=HASH_KEY)
    hashed_calls = hashing.protect(calls).to_pylist()[0]
    (hashed, _, _) = _protected_words(hashing, calls, words)
    assert hashed[-1] == hashed_calls["contact_phone_number"]
    assert hashed[-1] == keyed_hash(HASH_KEY, "+61491570157")
    (dropped, _, _) = _protected_words(CallsPolicy(personal_data="drop"), calls, words)
    assert dropped == ["reach", "me", "on", REDACTED]
    assert CallsPolicy().transcript_redactor(calls) is None


def _protected_words(policy: CallsPolicy, calls: pa.Table, words: pa.Table):
    protected, count = policy.transcript_redactor(calls).protect("call_words", words)
    return protected["word"].to_pylist(), count, protected
