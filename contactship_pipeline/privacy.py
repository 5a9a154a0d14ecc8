"""Personal values taken out of the transcript tables' free text, in `hash` and `drop` modes.

A caller says their name, number or e-mail address; a tool is called with the number. In turn
text, words, tool arguments and results and the `raw` column, each occurrence of the call's own
personal values (as the calls table received them), each word of its contact's name, and
anything shaped like an e-mail address or a phone number is replaced by a marker: the value's
keyed hash (the calls table's hash of the same value, so a turn still joins to its call) or
`[redacted]` (see `personal_text.py` for what is found). Plain Python, no Dagster.
"""

import bisect
import hashlib
import hmac
from collections.abc import Callable

import pyarrow as pa

from contactship_pipeline.personal_text import CallText, PersonalValues

REDACTED = "[redacted]"
# Free-text columns of each table; `json` ones hold JSON text, which stays valid JSON.
FREE_TEXT = {
    "call_turns": {"text": "plain", "raw": "json"},
    "call_words": {"word": "words"},
    "call_tool_events": {"arguments": "json", "result": "json", "raw": "json"},
}


def keyed_hash(key: str, value: str) -> str:
    """HMAC-SHA256 of `value` under `key`, as hex: how the calls table hashes personal values."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def personal_values(calls: pa.Table) -> dict[str, PersonalValues]:
    """Each call's personal values by id, from the calls table before it is protected."""
    columns = ("from", "contact_full_name", "contact_phone_number", "contact_email")
    rows = zip(*(calls[name].to_pylist() for name in ("id", *columns)), strict=True)
    return {call_id: PersonalValues(*values) for call_id, *values in rows}


class TranscriptRedactor:
    """Replaces personal values in the transcript tables of one day's calls.

    Args:
        people: each call's personal values by id; a call not in it has none of its own.
        marker: what replaces a value: its keyed hash, or `REDACTED`.
    """

    def __init__(self, people: dict[str, PersonalValues], marker: Callable[[str], str]):
        self._people = people
        self._marker = marker
        self._calls: dict[str, CallText] = {}

    def protect(self, table_name: str, table: pa.Table) -> tuple[pa.Table, int]:
        """`table` with its free text redacted (same schema), and how many values were replaced.

        In `call_words` a word is replaced whole when any part of it is personal, and a value
        spread over several words (a name, a number read out in groups) replaces each of them.
        """
        replaced = 0
        call_ids = table["call_id"].to_pylist()
        for column, kind in FREE_TEXT.get(table_name, {}).items():
            if kind == "words":
                turns = table["turn_index"].to_pylist()
                values, count = self._words(call_ids, turns, table[column].to_pylist())
            else:
                values, count = self._column(call_ids, table[column].to_pylist(), kind)
            index = table.schema.get_field_index(column)
            field = table.schema.field(column)
            table = table.set_column(index, field, pa.array(values, field.type))
            replaced += count
        return table, replaced

    def redact_text(self, call_ids: list, texts: list) -> tuple[list, int]:
        """Free text, one per call id, with each call's own and shaped values replaced."""
        return self._column(call_ids, texts, "plain")

    def _call(self, call_id: str) -> CallText:
        if call_id not in self._calls:
            person = self._people.get(call_id, PersonalValues())
            self._calls[call_id] = CallText(person, self._marker)
        return self._calls[call_id]

    def _column(self, call_ids: list, texts: list, kind: str) -> tuple[list, int]:
        replaced, out = 0, []
        for call_id, text in zip(call_ids, texts, strict=True):
            if text is not None:
                call = self._call(call_id)
                text, count = call.json(text) if kind == "json" else call.plain(text)
                replaced += count
            out.append(text)
        return out, replaced

    def _words(self, call_ids: list, turns: list, words: list) -> tuple[list, int]:
        """Each turn's words read as one text (joined by spaces); a word in a match is replaced."""
        replaced, start = 0, 0
        for end in range(1, len(words) + 1):
            if end < len(words) and (call_ids[end], turns[end]) == (call_ids[start], turns[start]):
                continue
            replaced += self._turn_words(self._call(call_ids[start]), words, start, end)
            start = end
        return words, replaced

    @staticmethod
    def _turn_words(call: CallText, words: list, start: int, end: int) -> int:
        """Replace in place the words `start:end` (one turn) that are part of a value."""
        starts, position = [], 0
        for word in words[start:end]:
            starts.append(position)
            position += len(word) + 1
        text = " ".join(words[start:end])
        hit = {}
        for first, last, marker in call.spans(text):
            # The words that overlap [first, last): from the one the match starts in.
            for offset in range(max(bisect.bisect_right(starts, first) - 1, 0), end - start):
                if starts[offset] >= last:
                    break
                if starts[offset] + len(words[start + offset]) > first:
                    hit[offset] = marker
        for offset, marker in hit.items():
            words[start + offset] = marker
        return len(hit)
