"""Checks on how a simulator is set up: where it listens and which days it covers."""

import ipaddress
from datetime import UTC, date, datetime, timedelta


def require_loopback(host: str) -> str:
    """Return `host` if it is a loopback address (or `localhost`, read as 127.0.0.1).

    Raises:
        ValueError: any other address; the simulator never listens beyond this machine.
    """
    if host == "localhost":
        return "127.0.0.1"
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"The simulator only binds loopback addresses, not {host!r}")
    return host


def date_range(
    start_date: date | None, end_date: date | None, days: int | None, today: date | None
) -> tuple[date, date]:
    """The first and last UTC day with calls: given outright, or the `days` before `today`.

    Raises:
        ValueError: dates mixed with `days`, one date without the other, or `days` < 1.
    """
    if start_date is not None or end_date is not None:
        if start_date is None or end_date is None or days is not None:
            raise ValueError("Give start_date and end_date together, or days, not both")
        return start_date, end_date
    days = 7 if days is None else days
    if days < 1:
        raise ValueError(f"days must be >= 1, not {days}")
    today = today or datetime.now(UTC).date()
    return today - timedelta(days=days), today - timedelta(days=1)
