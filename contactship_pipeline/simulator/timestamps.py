"""ISO 8601 timestamps the way a real API mixes them, and reading them back."""

import random
from datetime import UTC, datetime

from contactship_pipeline.simulator.draws import Weighted

# Most records say `Z`; a few use `+00:00` or carry fractions of a second, as real APIs do.
_STYLES = Weighted({"z": 95, "offset": 2, "micro": 2, "tenth": 1})


def pick_style(rng: random.Random) -> str:
    """Choose how one call writes all of its timestamps."""
    return _STYLES.pick(rng)


def fraction_for(style: str, rng: random.Random) -> int:
    """Microseconds to add to a whole-second instant so it fits `style`."""
    if style == "micro":
        return rng.randrange(1, 1_000_000)
    if style == "tenth":
        return rng.randrange(1, 10) * 100_000
    return 0


def format_timestamp(moment: datetime, style: str = "z") -> str:
    """Write a UTC instant as ISO 8601 in one of the styles `pick_style` draws.

    Args:
        moment: an aware or naive-UTC datetime.
        style: `z` and `offset` drop sub-seconds; `micro` and `tenth` keep them, trimmed.
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    whole = moment.replace(microsecond=0, tzinfo=None).isoformat()
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
