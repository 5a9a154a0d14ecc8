"""Where a call's personal values are in a text, and what replaces them.

Found, in one pass from left to right: the call's own `from`, phone number and e-mail address
anywhere (any case); its contact's full name and each word of it as whole words; anything
shaped like an e-mail address; and 7 or more digits written as a phone number, unless they
read as a date or a decimal number. A phone-shaped number that is the call's own number
written another way stands for that number. Plain Python, no Dagster.
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

# Shorter values (initials, "NA") cannot name anyone and would shred ordinary text.
_SHORTEST_VALUE, _SHORTEST_NAME_PART, _FEWEST_DIGITS = 3, 2, 7

_EMAIL = r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"
# E.164, or 7 or more digits with the separators people put between them ("+1 202 555 0143",
# "(202) 555-0143", "202.555.0143"), never inside a longer token such as an id or a hash.
_PHONE = r"(?<![\w.+-])(?:\+|\(\s?)?\d(?:[ .()-]{0,2}\d){6,}(?![\w-])"
_SHAPES = f"(?P<email>{_EMAIL})|(?P<phone>{_PHONE})"
# Phone-shaped, but a date ("2026-03-15") or a decimal number ("1234.5678"): left as it is.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?!\d)")
_DECIMAL = re.compile(r"\d+\.\d+")
# In valid JSON text: its strings, and the whole numbers between them.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


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
        name = person.full_name if _usable(person.full_name) else None
        values = [person.email, person.phone_number, person.caller]
        self.values = sorted({v for v in values if _usable(v)}, key=lambda v: (-len(v), v))
        self.name_parts = [
            part
            for part in re.findall(r"\w+", name or "")
            if len(part) >= _SHORTEST_NAME_PART and not part.isdigit()
        ]
        self.pattern = _pattern(name, tuple(self.values), tuple(self.name_parts))

    def spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Start, end and marker of each value to replace in `text`, left to right."""
        for match in self.pattern.finditer(text):
            value = self._value(match)
            if value is not None:
                yield match.start(), match.end(), self.marker(value)

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

    def _value(self, match: re.Match) -> str | None:
        """The value a match stands for, None when it is to be left as it is."""
        kind, text = match.lastgroup, match.group()
        if kind in ("name", "full_name"):
            return self.person.full_name
        if kind.startswith("own"):
            return self.values[int(kind.removeprefix("own"))]
        if kind == "phone":
            if _DATE.match(text) or _DECIMAL.fullmatch(text):
                return None
            return self._own_number(text) or text
        return text

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


@lru_cache(maxsize=4096)
def _pattern(name: str | None, values: tuple[str, ...], name_parts: tuple[str, ...]) -> re.Pattern:
    """One call's pattern: its own values anywhere (any case), then its contact's full name and
    the name's words as whole words, then the shapes. Leftmost match wins, then the first
    alternative: an own e-mail address is replaced as itself, not as a shape or a name."""
    alternatives = [
        f"(?P<own{index}>(?i:{re.escape(value)}))" for index, value in enumerate(values)
    ]
    if name:
        loose = r"\s+".join(re.escape(part) for part in name.split())
        alternatives.append(rf"(?P<full_name>(?<!\w)(?i:{loose})(?!\w))")
    alternatives.append(_SHAPES)
    if name_parts:
        words = "|".join(re.escape(part) for part in sorted(name_parts, key=len, reverse=True))
        alternatives.append(rf"(?P<name>(?<!\w)(?i:{words})(?!\w))")
    return re.compile("|".join(alternatives))
