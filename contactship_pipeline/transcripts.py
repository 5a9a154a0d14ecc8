"""Transcripts as the API sends them, read into rows of turns, words and tool events.

`chat_history` is a list of turns (`role`, `content`, `start`, `end` in seconds and, with
`include_words`, `words`); `chat_history_with_tools` is the same conversation with tool
invocations and results in between. With `transcript_format=toon` either comes as one TOON
string. Nothing beyond that is documented, so whatever does not fit is kept as sent in a `raw`
column and counted, and a call is never dropped for its transcript. Plain Python, no Dagster.
"""

import json
import math
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import toon_format

from contactship_pipeline.schema import (
    CALL_TOOL_EVENTS_SCHEMA,
    CALL_TURNS_SCHEMA,
    CALL_WORDS_SCHEMA,
)

TURNS_FIELD = "chat_history"
TOOLS_FIELD = "chat_history_with_tools"

_TURN_KEYS = frozenset({"role", "content", "start", "end", "words"})
_WORD_KEYS = frozenset({"word", "start", "end"})
_TOOL_KEYS = {
    "tool_call_invocation": (
        "invocation",
        frozenset({"role", "tool_call_id", "name", "arguments"}),
    ),
    "tool_call_result": ("result", frozenset({"role", "tool_call_id", "name", "content"})),
}


class Rows:
    """Rows of one table, kept column by column until they become one Arrow table."""

    def __init__(self, schema: pa.Schema):
        self.schema = schema
        self.columns: dict[str, list] = {name: [] for name in schema.names}

    def add(self, **values: Any) -> None:
        for name, column in self.columns.items():
            column.append(values.get(name))

    def table(self) -> pa.Table:
        arrays = [pa.array(self.columns[f.name], f.type) for f in self.schema]
        return pa.Table.from_arrays(arrays, schema=self.schema)


@dataclass
class TranscriptRows:
    """The transcript tables' rows for some calls."""

    turns: Rows = field(default_factory=lambda: Rows(CALL_TURNS_SCHEMA))
    words: Rows = field(default_factory=lambda: Rows(CALL_WORDS_SCHEMA))
    tool_events: Rows = field(default_factory=lambda: Rows(CALL_TOOL_EVENTS_SCHEMA))


def read_call(rows: TranscriptRows, call: dict[str, Any], words: bool, transcript_format: str):
    """Add the turns, words and tool events of one call to `rows`.

    Whatever cannot be read is kept as sent in the `raw` column of its row: a whole field that
    is not a list of entries is one row with only `call_id` and `raw`.

    Args:
        rows: where the rows go.
        call: one call as the API sent it; only `id` and the two transcript fields are read.
        words: read per-word timing (only asked for with `include_words`).
        transcript_format: the format asked for; text is decoded as that, else as the other.
    """
    call_id = call["id"]
    if TURNS_FIELD in call:
        for turn_index, entry in enumerate(
            _entries(rows.turns, call_id, call[TURNS_FIELD], transcript_format)
        ):
            _read_turn(rows, call_id, turn_index, entry, words)
    if TOOLS_FIELD in call:
        entries = _entries(rows.tool_events, call_id, call[TOOLS_FIELD], transcript_format)
        _read_tool_events(rows.tool_events, call_id, entries)


def _entries(table: Rows, call_id: str, value: Any, fmt: str) -> list:
    """The list of entries in a transcript field; anything else is one row of `raw`."""
    decoded = _decode(value, fmt) if isinstance(value, str) else value
    if decoded is None or isinstance(decoded, list):
        return decoded or []
    table.add(call_id=call_id, raw=value if isinstance(value, str) else json_text(value))
    return []


def _decode(text: str, fmt: str) -> Any:
    """Text as TOON or JSON, the format asked for first; the first reading that is a list."""
    decoders = (toon_format.decode, json.loads)
    for decode in decoders if fmt == "toon" else decoders[::-1]:
        try:
            decoded = decode(text)
        # Strict TOON: a declared length that does not match means a cut-off transcript,
        # which belongs in `raw`, not in the tables as if it were whole.
        except ValueError:  # ToonDecodeError and JSONDecodeError are both ValueErrors
            continue
        if decoded is None or isinstance(decoded, list):
            return decoded
    return text


def _read_turn(rows: TranscriptRows, call_id: str, turn_index: int, entry: Any, words: bool):
    """Add one turn (and its words); `raw` keeps it if any of it could not be read."""
    if not isinstance(entry, dict):
        rows.turns.add(call_id=call_id, turn_index=turn_index, raw=json_text(entry))
        return
    role, _ = _text(entry.get("role"))
    text, text_ok = _text(entry.get("content"))
    start, start_ok = _seconds(entry.get("start"))
    end, end_ok = _seconds(entry.get("end"))
    # A role that is not text reads as None, so it makes the turn unreadable too.
    readable = role is not None and text_ok and start_ok and end_ok
    readable = readable and entry.keys() <= _TURN_KEYS
    if words and entry.get("words") is not None:
        readable = _read_words(rows.words, call_id, turn_index, entry["words"]) and readable
    rows.turns.add(
        call_id=call_id,
        turn_index=turn_index,
        role=role,
        text=text,
        start_s=start,
        end_s=end,
        raw=None if readable else json_text(entry),
    )


def _read_words(table: Rows, call_id: str, turn_index: int, words: Any) -> bool:
    """Add a turn's words; one that cannot be read is left out and makes this False."""
    if not isinstance(words, list):
        return False
    readable = True
    column = table.columns
    for word_index, entry in enumerate(words):
        word = entry.get("word") if isinstance(entry, dict) else None
        if not isinstance(word, str):
            readable = False
            continue
        start, start_ok = _seconds(entry.get("start"))
        end, end_ok = _seconds(entry.get("end"))
        readable = readable and start_ok and end_ok and entry.keys() <= _WORD_KEYS
        # Appended column by column: a busy day has hundreds of thousands of words.
        column["call_id"].append(call_id)
        column["turn_index"].append(turn_index)
        column["word_index"].append(word_index)
        column["word"].append(word)
        column["start_s"].append(start)
        column["end_s"].append(end)
    return readable


def _read_tool_events(table: Rows, call_id: str, entries: list) -> None:
    """Add the tool entries of `chat_history_with_tools`.

    Entries whose role does not start with `tool` are the conversation's turns: they are
    counted, so each event knows the turn it came after, and are otherwise skipped.
    """
    tool_names: dict[str, str] = {}
    turn_index, event_index = -1, 0
    for entry in entries:
        role = entry.get("role") if isinstance(entry, dict) else None
        if isinstance(role, str) and not role.startswith("tool"):
            turn_index += 1
            continue
        after = turn_index if turn_index >= 0 else None
        event = _tool_event(entry, tool_names)
        table.add(call_id=call_id, event_index=event_index, after_turn_index=after, **event)
        event_index += 1


def _tool_event(entry: Any, tool_names: dict[str, str]) -> dict[str, Any]:
    """One tool entry's columns; `raw` keeps the entry if any of it could not be read."""
    if not isinstance(entry, dict):
        return {"raw": json_text(entry)}
    role = entry.get("role") if isinstance(entry.get("role"), str) else None
    kind, keys = _TOOL_KEYS.get(role, (role, frozenset()))
    tool_call_id, id_ok = _text(entry.get("tool_call_id"))
    name, name_ok = _text(entry.get("name"))
    if name is not None and tool_call_id is not None:
        tool_names[tool_call_id] = name
    event = {
        "kind": kind,
        "tool_call_id": tool_call_id,
        "tool_name": name if name is not None else tool_names.get(tool_call_id),
        "arguments": json_text(entry.get("arguments")),
        "result": json_text(entry.get("content")),
    }
    if not (keys and entry.keys() <= keys and id_ok and name_ok):
        event["raw"] = json_text(entry)
    return event


def json_text(value: Any) -> str | None:
    """A value as JSON text: text that already holds JSON is kept as sent, other text quoted.

    Whole-number floats are written as integers, so a value reads the same whether it came
    through JSON (`1.0`) or TOON (`1`).
    """
    if value is None:
        return None
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return json.dumps(value, ensure_ascii=False)
        return value
    return json.dumps(_whole_numbers(value), ensure_ascii=False, default=str)


def _whole_numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value


def _text(value: Any) -> tuple[str | None, bool]:
    if value is None or isinstance(value, str):
        return value, True
    return None, False


def _seconds(value: Any) -> tuple[float | None, bool]:
    if value is None:
        return None, True
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value), True
    return None, False
