"""The personal-data setting on the transcript tables, through Dagster against the simulator.

A day of simulated calls, whose callers now and then give their name, number or e-mail and
whose agents look contacts up by number, plus two calls of one person with transcripts written
for the test (`transcript_person.py`), is loaded in each mode. The simulator's text holds
personal values only as its calls' own values, written as stored, so what a generated text must
become is the text sent with each of them replaced.
"""

import hashlib
import hmac
import json
from collections import Counter
from datetime import date

import pyarrow.parquet as pq
import pytest

from contactship_pipeline.policy import CallsPolicy
from contactship_pipeline.privacy import REDACTED
from contactship_pipeline.settings import TranscriptOptions
from contactship_pipeline.simulator import Simulator
from contactship_pipeline_tests.conftest import API_KEY, run_days
from contactship_pipeline_tests.test_assets.test_transcripts import raw_calls
from contactship_pipeline_tests.test_assets.transcript_person import (
    PERSON,
    expected_for_person,
    persons_calls,
)

DAY = date(2026, 3, 12)
HASH_KEY = "transcript-privacy-key-0f1e2d3c"
POLICIES = {
    "keep": CallsPolicy(),
    "hash": CallsPolicy(personal_data="hash", hash_key=HASH_KEY),
    "drop": CallsPolicy(personal_data="drop"),
}
TABLES = ("call_turns", "call_words", "call_tool_events")
# Free-text columns; every other column is the same in every mode.
FREE_TEXT = {"call_turns": ("text", "raw"), "call_words": ("word",)}
FREE_TEXT["call_tool_events"] = ("arguments", "result", "raw")


def _digest(value: str) -> str:
    return hmac.new(HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


MARKS = {"hash": _digest, "drop": lambda value: REDACTED}


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    """The day loaded in each mode: tables by mode, the calls as sent, each table's metadata."""
    with Simulator(seed=5, start_date=DAY, end_date=DAY, calls_per_day=30, api_key=API_KEY) as sim:
        sim.upsert_calls(persons_calls(sim, DAY))
        sent = {call["id"]: call for call in raw_calls(sim, DAY.isoformat())}
        tables, metadata = {}, {}
        for mode, policy in POLICIES.items():
            folder = tmp_path_factory.mktemp(mode)
            (result,) = run_days(
                sim.base_url,
                folder,
                [DAY.isoformat()],
                transcripts=TranscriptOptions(True, True, True),
                policy=policy,
            )
            tables[mode] = {
                name: pq.read_table(folder / "contactship" / name / f"{DAY}.parquet")
                for name in ("calls", *TABLES)
            }
            metadata[mode] = {
                event.asset_key.path[-1]: event.materialization.metadata
                for event in result.get_asset_materialization_events()
            }
    return tables, sent, metadata


def _person_ids(sent: dict) -> list[str]:
    return [i for i, call in sent.items() if call.get("from") == PERSON["from"]]


def _own_values(call: dict) -> list[str]:
    contact = call.get("contact") or {}
    values = {call.get("from"), *(contact.get(k) for k in ("full_name", "phone_number", "email"))}
    return sorted((value for value in values if value), key=len, reverse=True)


def _expected_text(text: str | None, call: dict, mark) -> tuple[str | None, int]:
    """A generated text with each of its call's own values replaced, and how many were."""
    count = 0
    for value in _own_values(call) if text is not None else []:
        count += text.count(value)
        text = text.replace(value, mark(value))
    return text, count


def _expected_word(word: str, call: dict, mark) -> tuple[str, int]:
    bare = word.rstrip(".,?!")
    name = (call.get("contact") or {}).get("full_name")
    if bare in _own_values(call):
        return mark(bare), 1
    if name and bare in name.split():
        return mark(name), 1
    return word, 0


def _free_text(tables: dict, name: str, ids: list[str]) -> list:
    """The free text of the rows of `ids` in table `name`: tuples, or bare words."""
    names = FREE_TEXT[name]
    rows = [row for row in tables[name].to_pylist() if row["call_id"] in ids]
    rows.sort(key=lambda row: ids.index(row["call_id"]))
    return [row[names[0]] if len(names) == 1 else tuple(row[n] for n in names) for row in rows]


@pytest.mark.parametrize("mode", ["hash", "drop"])
def test_the_persons_values_are_replaced_in_every_free_text_column(day, mode):
    tables, sent, _ = day
    expected = expected_for_person(MARKS[mode])
    for name in TABLES:
        assert _free_text(tables[mode], name, _person_ids(sent)) == expected[name][0], name


@pytest.mark.parametrize("mode", ["hash", "drop"])
def test_generated_transcripts_lose_each_calls_own_values_and_nothing_else(day, mode):
    tables, sent, metadata = day
    mark, replaced = MARKS[mode], Counter()
    generated = [i for i in sent if i not in _person_ids(sent)]
    for name in TABLES:
        kept = _free_text(tables["keep"], name, generated)
        ids = [
            row["call_id"]
            for row in tables["keep"][name].to_pylist()
            if row["call_id"] in generated
        ]
        ids.sort(key=generated.index)
        expected = []
        for call_id, values in zip(ids, kept, strict=True):
            if name == "call_words":
                value, count = _expected_word(values, sent[call_id], mark)
            else:
                pairs = [_expected_text(v, sent[call_id], mark) for v in values]
                value, count = tuple(p[0] for p in pairs), sum(p[1] for p in pairs)
            expected.append(value)
            replaced[name] += count
        assert _free_text(tables[mode], name, generated) == expected, name
        # Every other column, and the schema, is the same as in keep mode.
        others = [c for c in tables["keep"][name].column_names if c not in FREE_TEXT[name]]
        assert tables[mode][name].select(others).equals(tables["keep"][name].select(others))
        assert tables[mode][name].schema == tables["keep"][name].schema
    # The simulator's callers did give themselves away, and its agents looked them up.
    assert replaced["call_turns"] > 5 and replaced["call_tool_events"] > 5
    assert replaced["call_words"] > replaced["call_turns"]
    # The counts in the metadata: the generated calls' and the person's, exactly.
    person = expected_for_person(MARKS[mode])
    for name in TABLES:
        count = metadata[mode][name]["personal_values_replaced"].value
        assert count == replaced[name] + person[name][1], name


def test_a_value_hashed_in_a_transcript_joins_to_the_calls_tables_hash(day):
    tables, sent, _ = day
    hashed_calls = {row["id"]: row for row in tables["hash"]["calls"].to_pylist()}
    said, looked_up = 0, 0
    for row in tables["hash"]["call_turns"].to_pylist():
        if row["text"] and row["text"].startswith("You can reach me on "):
            phone = sent[row["call_id"]]["contact"]["phone_number"]
            hashed = hashed_calls[row["call_id"]]["contact_phone_number"]
            assert (
                row["text"]
                == f"You can reach me on {hashed} any time."
                == f"You can reach me on {_digest(phone)} any time."
            )
            said += 1
    for row in tables["hash"]["call_tool_events"].to_pylist():
        if row["tool_name"] == "lookup_contact" and row["kind"] == "invocation":
            call = hashed_calls[row["call_id"]]
            if row["call_id"] not in _person_ids(sent):
                hashed = call["contact_phone_number"] or call["from"]
                assert row["arguments"] == f'{{"phone_number": "{hashed}"}}'
                looked_up += 1
    assert said > 3 and looked_up > 3


# The ways the person's values, and values shaped like them, were written.
WRITTEN = {"ottilie", "varga", "491 570 157", "5551234567", "accounts@varga-family.net"}


@pytest.mark.parametrize("mode", POLICIES)
def test_no_transcript_file_holds_a_personal_value_unless_kept(day, mode):
    tables, sent, _ = day
    cells = [
        str(value).lower()
        for name in TABLES
        for column in tables[mode][name].itercolumns()
        for value in column.to_pylist()
        if value is not None
    ]
    text = "\n".join(cells)
    needles = WRITTEN | {value.lower() for call in sent.values() for value in _own_values(call)}
    found = {needle for needle in needles if needle in text}
    # Counted, never printed: a failure must not show what leaked.
    if mode == "keep":
        assert found >= WRITTEN and len(found) > 20
    else:
        assert len(found) == 0, f"{len(found)} personal values left in the {mode} files"


def test_keep_mode_writes_the_transcripts_as_sent(day):
    tables, sent, metadata = day
    turns = [call["chat_history"] for call in sent.values()]
    words = [[t.get("words", []) for t in call] for call in turns if isinstance(call, list)]
    assert tables["keep"]["call_words"]["word"].to_pylist() == [
        word["word"] for call in words for turn in call for word in turn
    ]
    texts = [turn["content"] for call in turns if isinstance(call, list) for turn in call]
    assert [t for t in tables["keep"]["call_turns"]["text"].to_pylist() if t] == texts
    arguments = [
        entry["arguments"]
        if isinstance(entry["arguments"], str)
        else json.dumps(entry["arguments"])
        for call in sent.values()
        for entry in call["chat_history_with_tools"]
        if "arguments" in entry
    ]
    assert [
        a for a in tables["keep"]["call_tool_events"]["arguments"].to_pylist() if a
    ] == arguments
    assert all("personal_values_replaced" not in m for m in metadata["keep"].values())
