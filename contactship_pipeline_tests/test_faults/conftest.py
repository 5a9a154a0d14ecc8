"""A small simulated API per test, and one day run through Dagster with quick retries.

The day is 2026-03-15 (UTC). Its API window is 14..16 March: 30 generated calls a day plus
the vendor's example call, 91 in all, which at 25 a page is four pages and a count check.
"""

import shutil
from datetime import date
from pathlib import Path

import pytest

from contactship_pipeline.simulator import Simulator
from contactship_pipeline_tests.conftest import run_days

DAY = "2026-03-15"
API_KEY = "faults-key-7d1e0c9a"
CALLS_PER_DAY = 30
PAGE_SIZE = 25
# Small waits, so a test of retries takes a second, not minutes.
QUICK = {
    "page_size": PAGE_SIZE,
    "max_attempts": 3,
    "backoff_factor_s": 0.01,
    "retry_after_min_s": 0,
    "retry_after_max_s": 0.3,
    "connect_timeout_s": 2,
    "read_timeout_s": 0.5,
    "request_deadline_s": 8,
}


def make_sim() -> Simulator:
    """The faults tests' simulator: 14..16 March 2026, the same calls every time."""
    return Simulator(
        seed=11,
        start_date=date(2026, 3, 14),
        end_date=date(2026, 3, 16),
        calls_per_day=CALLS_PER_DAY,
        api_key=API_KEY,
    )


@pytest.fixture
def sim():
    """A fresh simulator of 14..16 March 2026, for one test to break as it likes."""
    with make_sim() as simulator:
        yield simulator


def run_day(sim: Simulator, data_dir: Path, day: str = DAY, **settings):
    """Materialize `contactship/calls` for one day against `sim` with the quick settings."""
    return run_days(
        sim.base_url,
        data_dir,
        [day],
        api_key=settings.pop("api_key", API_KEY),
        selection=settings.pop("selection", "contactship/calls"),
        **{**QUICK, **settings},
    )[0]


def expected_ids(sim: Simulator, day: str = DAY) -> list[str]:
    """The ids the simulator holds for a UTC day, in (created_at, id) order."""
    return [call["id"] for call in sim.calls_for_day(date.fromisoformat(day))]


def calls_file(data_dir: Path, day: str = DAY) -> Path:
    return data_dir / "contactship" / "calls" / f"{day}.parquet"


@pytest.fixture(scope="session")
def previous_file(tmp_path_factory) -> Path:
    """A good file for DAY written by a real run, to stand for yesterday's successful load."""
    folder = tmp_path_factory.mktemp("previous")
    with make_sim() as simulator:
        run_day(simulator, folder)
    return calls_file(folder)


def put_previous(previous_file: Path, data_dir: Path) -> bytes:
    """Copy the good file into `data_dir` as DAY's partition; return its bytes."""
    target = calls_file(data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(previous_file, target)
    return target.read_bytes()


def files_under(data_dir: Path) -> list[str]:
    """Every file left under the tables' folder, hidden ones included, relative paths."""
    root = data_dir / "contactship"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
