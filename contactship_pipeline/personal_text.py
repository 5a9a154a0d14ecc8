"""Where a call's personal values are in a text, and what replaces them.

Found, from left to right: the call's own `from`, phone number and e-mail address anywhere (any
case); its contact's full name and each word of it as whole words; anything shaped like an
e-mail address; and 7 or more digits written as a phone number, unless they read as a date or a
decimal number. Where two start at the same place, an own value comes first, then the full
name, a shape, a word of the name. A phone-shaped number that is the call's own number written
another way stands for that number. Plain Python, no Dagster.
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# Shorter values (initials, "NA") cannot name anyone and would shred ordinary text.
_SHORTEST_VALUE, _SHORTEST_NAME_PART, _FEWEST_DIGITS = 3, 2, 7

_EMAIL = r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"
# E.164, or 7 or more digits with the separators people put between them ("+1 202 555 0143",
# "(202) 555-0143", "202.555.0143"), never inside a longer token such as an id or a hash.
_PHONE = r"(?<![\w.+-])(?:\+|\(\s?)?\d(?:[ .()-]{0,2}\d){6,}(?![\w-])"
# Compiled once for every call: a pattern per call would cost more than the search.
_SHAPES = re.compile(f"(?P<email>{_EMAIL})|(?P<phone>{_PHONE})")
_WORD = re.compile(r"\w+")
# Phone-shaped, but a date ("2026-03-15") or a decimal number ("1234.5678"): left as it is.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?!\d)")
_DECIMAL = re.compile(r"\d+\.\d+")
# In valid JSON text: its strings, and the numbers between them.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
# Ranks of what starts at the same place; a shape ranks between the full name and a word of it.
_OWN, _FULL_NAME, _SHAPE, _NAME_PART = range(4)


@dataclass(frozen=True)
class PersonalValues:
    """One call's personal values as the calls table received them; None where absent."""

    caller: str | None = None
    full_name: str | None = None
    phone_number: str | None = None
    email: str | None = None


class CallText:
    """What to replace in the transcripts of one call, and by what.

    Args:
        person: the call's personal values.
        marker: what replaces a value (given the value the match stands for).
    """

    def __init__(self, person: PersonalValues, marker: Callable[[str], str]):
        self.person = person
        self.marker = marker
        values = [person.email, person.phone_number, person.caller]
        self.values = sorted({v for v in values if _usable(v)}, key=lambda v: (-len(v), v))
        self.full_name = person.full_name if _usable(person.full_name) else None
        self.name_parts = {
            part.lower()
            for part in _WORD.findall(self.full_name or "")
            if len(part) >= _SHORTEST_NAME_PART and not part.isdigit()
        }

    def spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Start, end and marker of each value to replace in `text`, left to right."""
        fixed, index, position = self._fixed(text), 0, 0
        shape = _SHAPES.search(text)
        while True:
            while index < len(fixed) and fixed[index][0] < position:
                index += 1
            if shape is not None and shape.start() < position:
                shape = _SHAPES.search(text, position)
            own = fixed[index] if index < len(fixed) else None
            if own is None and shape is None:
                return
            if own is not None and (shape is None or own[:2] < (shape.start(), _SHAPE)):
                start, _, end, value = own
            else:
                start, end, value = shape.start(), shape.end(), self._shape_value(shape)
            if value is not None:
                yield start, end, self.marker(value)
            position = end

    def plain(self, text: str) -> tuple[str, int]:
        """`text` with each value replaced by its marker, and how many were replaced."""
        pieces, position = [], 0
        for first, last, marker in self.spans(text):
            pieces += [text[position:first], marker]
            position = last
        return "".join(pieces) + text[position:], len(pieces) // 2

    def json(self, text: str) -> tuple[str, int]:
        """Redacted inside JSON strings, and a whole number that may be a phone number
        becomes a string: the text stays valid JSON. Text that is not JSON is read as plain."""
        try:
            json.loads(text)
        except ValueError:
            return self.plain(text)
        pieces, position, replaced = [], 0, 0
        for string in _JSON_STRING.finditer(text):
            between, numbers = self._numbers(text[position : string.start()])
            value, found = self.plain(json.loads(string.group()))
            pieces += [between, json.dumps(value, ensure_ascii=False) if found else string.group()]
            replaced, position = replaced + numbers + found, string.end()
        tail, numbers = self._numbers(text[position:])
        return "".join(pieces) + tail, replaced + numbers

    def _fixed(self, text: str) -> list[tuple[int, int, int, str]]:
        """(start, rank, end, value) of the call's own values, full name and name's words."""
        found = []
        wanted = [(_OWN, value) for value in self.values]
        for rank, value in wanted + ([(_FULL_NAME, self.full_name)] if self.full_name else []):
            for start, end in _occurrences(text, value):
                if rank == _OWN or _whole_words(text, start, end):
                    found.append((start, rank, end, value))
        for word in _WORD.finditer(text) if self.name_parts else ():
            if word.group().lower() in self.name_parts:
                found.append((word.start(), _NAME_PART, word.end(), self.full_name))
        return sorted(found, key=lambda item: (item[0], item[1], -item[2]))

    def _numbers(self, text: str) -> tuple[str, int]:
        replaced = 0

        def replace(number: re.Match) -> str:
            nonlocal replaced
            digits = number.group()
            if not digits.isdigit() or len(digits) < _FEWEST_DIGITS:
                return digits
            replaced += 1
            return json.dumps(self.marker(self._own_number(digits) or digits))

        return _JSON_NUMBER.sub(replace, text), replaced

    def _shape_value(self, match: re.Match) -> str | None:
        """The value a shape stands for, None when it is to be left as it is."""
        text = match.group()
        if match.lastgroup == "email":
            return text
        if _DATE.match(text) or _DECIMAL.fullmatch(text):
            return None
        return self._own_number(text) or text

    def _own_number(self, text: str) -> str | None:
        """The call's own number that `text` writes another way: "0491 570 157" or
        "+61 491 570 157" for "+61491570157" (trunk and international zeros aside)."""
        digits = re.sub(r"\D", "", text).lstrip("0")
        for value in (self.person.phone_number, self.person.caller):
            own = re.sub(r"\D", "", value or "").lstrip("0")
            if min(len(own), len(digits)) >= _FEWEST_DIGITS and (
                own.endswith(digits) or digits.endswith(own)
            ):
                return value
        return None


def _usable(value: str | None) -> bool:
    return isinstance(value, str) and len(value.strip()) >= _SHORTEST_VALUE


def _occurrences(text: str, value: str) -> Iterator[tuple[int, int]]:
    """Where `value` is in `text`, in any case, overlapping ones included."""
    lowered, needle = text.lower(), value.lower()
    if len(lowered) != len(text) or len(needle) != len(value):
        # Lower-casing changed a length (a dotted capital I): offsets need a regular expression.
        for match in re.finditer(re.escape(value), text, re.IGNORECASE):
            yield match.span()
        return
    start = lowered.find(needle)
    while start >= 0:
        yield start, start + len(needle)
        start = lowered.find(needle, start + 1)


def _whole_words(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_" or after.isalnum() or after == "_")
