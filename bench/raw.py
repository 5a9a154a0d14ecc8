"""Raw pages of one day, fetched the plainest way: urllib3, no checks, no retries.

This is what the ceiling measures and what the flatten-stage comparisons start from.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

import orjson
import urllib3

from bench.serve import API_KEY


@dataclass(frozen=True)
class Window:
    """The API window the pipeline asks for one day: the day and one either side."""

    base_url: str
    day: date
    page_size: int

    def params(self, offset: int, limit: int) -> dict[str, str]:
        return {
            "date_from": (self.day - timedelta(days=1)).isoformat(),
            "date_to": (self.day + timedelta(days=1)).isoformat(),
            "order": "asc",
            "limit": str(limit),
            "offset": str(offset),
        }


def fetch_pages(window: Window, concurrency: int, keep: Callable[[bytes], object]) -> list:
    """`keep(body)` of every page of the window, in offset order.

    The first page gives the count and the page size the server serves; the other offsets
    are then fetched `concurrency` at a time.
    """
    pool = urllib3.PoolManager(maxsize=max(concurrency, 1), headers={"x-api-key": API_KEY})
    url = window.base_url + "/v1/calls"

    def get(offset: int) -> bytes:
        response = pool.request("GET", url, fields=window.params(offset, window.page_size))
        if response.status != 200:
            raise RuntimeError(f"offset {offset}: HTTP {response.status}")
        return response.data

    first = get(0)
    envelope = orjson.loads(first)
    step, count = len(envelope["data"]), envelope["count"]
    offsets = range(step, count, step) if step else range(0)
    with ThreadPoolExecutor(max(concurrency, 1)) as workers:
        rest = list(workers.map(lambda offset: keep(get(offset)), offsets))
    return [keep(first), *rest]


def day_count(base_url: str, day: date) -> int:
    """How many calls the simulator holds for exactly `day`: what every runner must write."""
    pool = urllib3.PoolManager(headers={"x-api-key": API_KEY})
    fields = {"date_from": day.isoformat(), "date_to": day.isoformat(), "limit": "0"}
    response = pool.request("GET", base_url + "/v1/calls", fields=fields)
    return orjson.loads(response.data)["count"]
