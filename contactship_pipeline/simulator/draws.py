"""Random draws the generators repeat for every call, kept cheap for days of 100,000 calls."""

import bisect
import itertools
import random


class Weighted:
    """A fixed weighted choice; `random.choices` rebuilds its weights on every call.

    Args:
        weights: each value and its relative weight, in a fixed order.
    """

    def __init__(self, weights: dict[str, int]):
        self._values = tuple(weights)
        self._bounds = tuple(itertools.accumulate(weights.values()))

    def pick(self, rng: random.Random) -> str:
        """One value, drawn with a single `rng.random()`."""
        return self._values[bisect.bisect(self._bounds, rng.random() * self._bounds[-1])]


def new_uuid(rng: random.Random) -> str:
    """A UUID4-shaped id drawn from `rng`, equal to `str(uuid.UUID(int=..., version=4))`."""
    bits = rng.getrandbits(128)
    # Version 4 in bits 76-79, RFC 4122 variant (0b10) in bits 62-63, as uuid.UUID sets them.
    bits = (bits & ~(0xF << 76)) | (0x4 << 76)
    bits = (bits & ~(0x3 << 62)) | (0x2 << 62)
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
