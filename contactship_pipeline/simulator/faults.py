"""Faults the simulated API can serve, and the plan that decides which request gets one."""

import dataclasses
import threading
from dataclasses import dataclass
from typing import Any

FAULT_KINDS = (
    "status",
    "reset",
    "hang",
    "trickle",
    "truncate",
    "not_json",
    "error_body",
    "envelope",
    "short_page",
    "duplicate",
)
ENVELOPE_CHANGES = ("data_null", "count_string", "count_missing")


@dataclass
class Fault:
    """One misbehaviour, served to the matching requests instead of the normal answer.

    Args:
        kind: one of `FAULT_KINDS`.
        match: query parameters a request must carry with these exact values.
        after: matching requests to let through before the fault starts.
        times: matching requests the fault applies to; None means every one after `after`.
        status: the HTTP status of a `status` fault (429, 500, 503...).
        headers: extra response headers of a `status` fault, such as `Retry-After`.
        body: JSON body of a `status` or `error_body` fault; text of a `not_json` one.
        retry_after_in: for a `status` fault, send `Retry-After` as an HTTP-date this many
            seconds after the moment it is served.
        seconds: how long a `hang` keeps the connection silent before closing it.
        interval: pause between two pieces of a `trickle` body.
        chunk_bytes: size of each piece of a `trickle` body.
        envelope: the change an `envelope` fault makes, one of `ENVELOPE_CHANGES`.
        keep: how many records a `short_page` keeps.
    """

    kind: str
    match: dict[str, Any] | None = None
    after: int = 0
    times: int | None = 1
    status: int = 500
    headers: dict[str, str] | None = None
    body: Any = None
    retry_after_in: float | None = None
    seconds: float = 30.0
    interval: float = 0.05
    chunk_bytes: int = 64
    envelope: str = "data_null"
    keep: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"Unknown fault kind {self.kind!r}; known: {', '.join(FAULT_KINDS)}")
        if self.envelope not in ENVELOPE_CHANGES:
            raise ValueError(f"Unknown envelope change {self.envelope!r}")
        if self.after < 0 or (self.times is not None and self.times < 1):
            raise ValueError("after must be >= 0 and times >= 1 (or None for always)")
        if self.chunk_bytes < 1 or self.keep < 0 or self.seconds < 0 or self.interval < 0:
            raise ValueError("chunk_bytes must be >= 1; keep, seconds and interval >= 0")
        if self.match is not None:
            # Query values arrive as text; `{"offset": 2}` should still match `offset=2`.
            self.match = {str(name): str(value) for name, value in self.match.items()}

    @classmethod
    def from_dict(cls, raw: dict) -> "Fault":
        """Build a fault from JSON fields, as `POST /_control/faults` receives them.

        Raises:
            ValueError: `raw` is not an object, has unknown fields, or invalid values.
        """
        if not isinstance(raw, dict):
            raise ValueError("A fault must be a JSON object")
        known = {item.name for item in dataclasses.fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"Unknown fault fields: {', '.join(unknown)}")
        try:
            return cls(**raw)
        except TypeError as error:
            raise ValueError(str(error)) from None


@dataclass
class _Entry:
    fault: Fault
    seen: int = 0
    served: int = 0


class FaultPlan:
    """The faults in force, in the order they were added; thread-safe.

    A request goes down the plan until a fault fires. Each matching fault it reaches
    counts it, so `after` and `times` count the requests that got that far: four faults
    with `times=1` fire on four requests in a row.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[_Entry] = []

    def add(self, fault: Fault) -> None:
        """Append `fault` to the plan."""
        with self._lock:
            self._entries.append(_Entry(fault))

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._entries.clear()

    def pick(self, params: dict[str, str]) -> Fault | None:
        """The fault to serve for a request with these query parameters, if any."""
        with self._lock:
            for entry in self._entries:
                fault = entry.fault
                if fault.match and any(params.get(k) != v for k, v in fault.match.items()):
                    continue
                if fault.times is not None and entry.served >= fault.times:
                    continue
                entry.seen += 1
                if entry.seen > fault.after:
                    entry.served += 1
                    return fault
            return None
