"""The Dagster UI in a real browser: Debian's Chromium, driven by Playwright, against `dagster dev`
and the simulator on loopback. One day, then a three-day backfill, launched by clicking.

Screenshots go to a temporary folder, or to `CONTACTSHIP_SCREENSHOT_DIR` (`make screenshots`
writes the README's under docs/).
"""

import os
import re
import time
from pathlib import Path

import pytest

from contactship_pipeline_tests.conftest import API_KEY
from contactship_pipeline_tests.test_ui.dagster_dev import dagster_dev, graphql

sync_api = pytest.importorskip("playwright.sync_api", reason="needs the integration extra")
CHROMIUM = Path(os.environ.get("CONTACTSHIP_CHROMIUM", "/usr/bin/chromium"))
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"
)
# Headless, and quiet: without the background-networking flags Chromium calls out to the network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-proxy-server",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DAY = "2026-03-15"
BACKFILL = ["2026-03-11", "2026-03-12", "2026-03-13"]
TABLES = ("calls", "sentiment_daily", "disconnections_daily", "agent_daily")
RUN_TIMEOUT_S = 180
RUNS = """{ runsOrError { ... on Runs { results { runId status tags { key value } } } } }"""
BACKFILL_STATUS = """query($id: String!) { partitionBackfillOrError(backfillId: $id) {
  ... on PartitionBackfill { status } } }"""
DONE = {"SUCCESS", "FAILURE", "CANCELED"}


@pytest.fixture()
def screenshots(tmp_path) -> Path:
    folder = Path(os.environ.get("CONTACTSHIP_SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture()
def ui(simulator, tmp_path):
    """The simulator's week in a fresh Dagster instance, and a browser page with no cookies."""
    env = {
        "CONTACTSHIP_BASE_URL": simulator.base_url,
        "CONTACTSHIP_API_KEY": API_KEY,
        "CONTACTSHIP_START_DATE": "2026-03-10",
        "CONTACTSHIP_DATA_DIR": str(tmp_path / "data"),
        "CONTACTSHIP_TIMEZONE": "UTC",
    }
    log = tmp_path / "dagster-dev.log"
    with dagster_dev(tmp_path / "home", env, log) as url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(60_000)
            # A new instance greets its first visitor with a newsletter dialog that can pop up
            # over any other; dismiss it the way its Skip button does, before the first page.
            graphql(url, "mutation { setNuxSeen }")
            yield url, page, tmp_path / "data"
        finally:
            browser.close()


def test_one_day_and_a_backfill_launched_from_the_ui_all_succeed(ui, screenshots):
    url, page, data = ui
    page.goto(f"{url}/asset-groups")
    for table in TABLES:
        page.get_by_text(table, exact=True).first.wait_for()

    run_link = _materialize(page, DAY, "Launch 1 run", "Launched run")
    backfill_range = f"[{BACKFILL[0]}...{BACKFILL[-1]}]"
    backfill_link = _materialize(page, backfill_range, "Launch backfill", "Created backfill")

    run_id = run_link.rsplit("/", 1)[-1]
    assert _wait_for_run(url, run_id) == "SUCCESS"
    page.goto(url + run_link)
    page.get_by_text("Success", exact=True).first.wait_for()

    backfill_id = backfill_link.rsplit("/", 1)[-1]
    assert _wait_for_backfill(url, backfill_id) == "COMPLETED_SUCCESS"
    page.goto(url + backfill_link)
    page.get_by_text("Succeeded", exact=True).first.wait_for()
    _save(page, screenshots / "backfill.png")

    _show_partition(page, url, "calls", DAY)
    for label in ("pages_fetched", "retries", "duration_s", "sentiment", "disconnections"):
        page.get_by_text(label, exact=True).first.wait_for()
    _save(page, screenshots / "partition-metadata.png", height=1900)
    _show_partition(page, url, "sentiment_daily", DAY)
    page.get_by_text(re.compile("\u2588{3,}")).first.wait_for()
    _save(page, screenshots / "aggregate-chart.png", height=900)

    page.goto(f"{url}/asset-groups")
    page.get_by_text(re.compile(r"[1-9][\d.]*% filled")).first.wait_for()
    _save(page, screenshots / "asset-graph.png")

    _assert_every_run_succeeded(url, [DAY, *BACKFILL])
    for table in TABLES:
        stored = sorted(path.stem for path in (data / "contactship" / table).glob("*.parquet"))
        assert stored == sorted([DAY, *BACKFILL])


def _materialize(page, partitions: str, button: str, toast: str) -> str:
    """Materialize all three assets for `partitions` from the graph; return the toast's link."""
    page.get_by_role("button", name="Materialize all").click()
    page.get_by_text("Show all partitions").click()
    selection = page.get_by_placeholder(re.compile("^ex: "))
    selection.fill(partitions)
    selection.press("Enter")
    page.get_by_role("button", name=button).click()
    message = page.locator("[data-sonner-toast]", has_text=toast)
    return message.get_by_role("link", name="View").get_attribute("href")


def _show_partition(page, url: str, table: str, day: str) -> None:
    page.goto(f"{url}/assets/contactship/{table}?view=partitions&partition={day}")
    page.get_by_text("Latest materialization").first.wait_for()


def _save(page, path: Path, height: int = 800) -> None:
    page.set_viewport_size({"width": 1280, "height": height})
    # Two animation frames: the page has laid itself out at the new size before the picture.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.screenshot(path=path)
    assert 0 < path.stat().st_size < 1_000_000
    page.set_viewport_size({"width": 1280, "height": 800})


def _runs(url: str) -> list[dict]:
    return graphql(url, RUNS)["runsOrError"]["results"]


def _wait_for_run(url: str, run_id: str) -> str:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        status = {run["runId"]: run["status"] for run in _runs(url)}.get(run_id)
        if status in DONE:
            return status
        time.sleep(1)
    raise TimeoutError(f"run {run_id} did not finish in {RUN_TIMEOUT_S} s")


def _wait_for_backfill(url: str, backfill_id: str) -> str:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        answer = graphql(url, BACKFILL_STATUS, {"id": backfill_id})
        status = answer["partitionBackfillOrError"]["status"]
        if status not in ("REQUESTED", "CANCELING", "FAILING"):
            return status
        time.sleep(1)
    raise TimeoutError(f"backfill {backfill_id} did not finish in {RUN_TIMEOUT_S} s")


def _assert_every_run_succeeded(url: str, days: list[str]) -> None:
    """Every run the instance holds ended in success: the four days, and the freshness
    sensor's runs (a late day is a warning on a check, not a failed run)."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    runs = _runs(url)
    while any(run["status"] not in DONE for run in runs) and time.monotonic() < deadline:
        time.sleep(1)
        runs = _runs(url)
    assert {run["status"] for run in runs} == {"SUCCESS"}, runs
    partitions = [
        tag["value"] for run in runs for tag in run["tags"] if tag["key"] == "dagster/partition"
    ]
    assert sorted(partitions) == sorted(days)
