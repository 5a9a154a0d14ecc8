"""ISO 8601 timestamps the way a real API mixes them, and reading them back."""

import random
from datetime import UTC, datetime

# Most records say `Z`; a few use `+00:00` or carry fractions of a second, as real APIs do.
STYLES = ("z", "offset", "micro", "tenth")
_STYLE_WEIGHTS = (95, 2, 2, 1)


def pick_style(rng: random.Random) -> str:
    """Choose how one call writes all of its timestamps."""
    return rng.choices(STYLES, weights=_STYLE_WEIGHTS)[0]


def fraction_for(style: str, rng: random.Random) -> int:
    """Microseconds to add to a whole-second instant so it fits `style`."""
    if style == "micro":
        return rng.randrange(1, 1_000_000)
    if style == "tenth":
        return rng.randrange(1, 10) * 100_000
    return 0


def format_timestamp(moment: datetime, style: str = "z") -> str:
    """Write a UTC instant as ISO 8601 in one of `STYLES`.

    Args:
        moment: an aware or naive-UTC datetime.
        style: `z` and `offset` drop sub-seconds; `micro` and `tenth` keep them, trimmed.
    """
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    whole = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if style == "offset":
        return whole + "+00:00"
    if style in ("micro", "tenth") and moment.microsecond:
        return f"{whole}.{moment.microsecond:06d}".rstrip("0") + "Z"
    return whole + "Z"


def parse_timestamp(value: object) -> datetime | None:
    """Read an ISO 8601 instant as aware UTC, or None when `value` is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
