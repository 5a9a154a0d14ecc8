"""A seven-day simulator shared by read-only tests, and a fresh one for tests that change it."""

from datetime import date

import pytest
import requests

from contactship_pipeline.simulator import Simulator

SEED = 7
START = date(2026, 3, 10)
END = date(2026, 3, 16)
CALLS_PER_DAY = 40
API_KEY = "test-key"
TIMEOUT = 5


def make_simulator(**overrides) -> Simulator:
    """The tests' standard simulator, with any argument replaced."""
    settings = {
        "seed": SEED,
        "start_date": START,
        "end_date": END,
        "calls_per_day": CALLS_PER_DAY,
        "api_key": API_KEY,
        "max_page_size": 100,
        "latency_ms": 0,
    }
    settings.update(overrides)
    return Simulator(**settings)


def get_calls(sim: Simulator, params: dict | None = None, **kwargs) -> requests.Response:
    """`GET /v1/calls` with the right key unless `headers` says otherwise."""
    kwargs.setdefault("headers", {"x-api-key": API_KEY})
    kwargs.setdefault("timeout", TIMEOUT)
    return requests.get(f"{sim.base_url}/v1/calls", params=params or {}, **kwargs)


def fetch_all(sim: Simulator, params: dict, page_size: int = 17) -> list[dict]:
    """Every record of a query, paged by the number of records received."""
    records: list[dict] = []
    while True:
        page = get_calls(sim, {**params, "limit": page_size, "offset": len(records)}).json()
        if not page["data"]:
            return records
        records.extend(page["data"])


@pytest.fixture(scope="module")
def sim():
    """Shared by a module's read-only tests: inject nothing, change nothing."""
    with make_simulator() as simulator:
        yield simulator


@pytest.fixture
def fresh_sim():
    """A simulator of its own, for tests that inject faults or change calls."""
    with make_simulator() as simulator:
        yield simulator
