"""End to end with the real `dagster-daemon run` process on a temporary DAGSTER_HOME.

Nobody launches anything: a day's file is deleted and two days change upstream, the daemon
ticks the sensors, they ask for asset backfills, the daemon runs them, and the store is right
again. About a minute, half of it the backfill daemon's fixed 30-second loop, so it runs
only with CONTACTSHIP_DAEMON_TESTS=1 (`make test-daemon`); `test_daemon_path.py` drives the
same daemon code in-process on every `make test`.
"""

import os
import subprocess
import time
from datetime import timedelta

import pytest
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from contactship_pipeline.sensors.backfills import HEALING_TAG
from contactship_pipeline.simulator import Simulator
from contactship_pipeline_tests.conftest import day_ids, read_day, run_days
from contactship_pipeline_tests.test_sensors.daemon import (
    dagster_command,
    dagster_daemon,
    write_dagster_home,
    write_workspace,
)

pytestmark = pytest.mark.skipif(
    os.environ.get("CONTACTSHIP_DAEMON_TESTS") != "1",
    reason="starts the real dagster-daemon for about a minute: run `make test-daemon`",
)

API_KEY = "daemon-test-key"
DAEMON_LIMIT_S = 150
WAIT_S = 120
FINISHED = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


def _environment(home, data_dir, sim, start: str) -> dict[str, str]:
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "CONTACTSHIP_BASE_URL": sim.base_url,
        "CONTACTSHIP_API_KEY": API_KEY,
        "CONTACTSHIP_DATA_DIR": str(data_dir),
        "CONTACTSHIP_START_DATE": start,
        "CONTACTSHIP_MISSING_DAYS_INTERVAL_S": "1",
        "CONTACTSHIP_RECHECK_INTERVAL_S": "1",
    }


def _healing_runs(instance: DagsterInstance) -> dict[str, DagsterRunStatus]:
    """The status of the sensors' runs, by partition (one run per day is expected)."""
    sensors = ["missing_days_sensor", "late_changes_sensor"]
    runs = instance.get_runs(filters=RunsFilter(tags={HEALING_TAG: sensors}))
    return {run.tags["dagster/partition"]: run.status for run in runs}


def _wait_for_runs(instance: DagsterInstance, days: list[str], log) -> dict:
    """Poll until every day has a finished healing run; fail with the daemon's log if not."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        runs = _healing_runs(instance)
        if set(days) <= set(runs) and all(runs[day] in FINISHED for day in days):
            return runs
        time.sleep(1)
    raise AssertionError(f"no finished runs for {days} in {WAIT_S}s:\n{log.read_text()[-4000:]}")


def test_the_daemon_heals_a_deleted_day_and_two_changed_days(tmp_path):
    with Simulator(seed=11, days=3, calls_per_day=40, api_key=API_KEY) as sim:
        days = [(sim.start_date + timedelta(days=n)).isoformat() for n in range(3)]
        deleted, late, last = days
        home = write_dagster_home(tmp_path / "home")
        data_dir = tmp_path / "data"
        env = _environment(home, data_dir, sim, deleted)
        workspace = write_workspace(tmp_path)
        with DagsterInstance.from_config(str(home)) as instance:
            run_days(
                sim.base_url, data_dir, days, api_key=API_KEY, start_date=deleted, instance=instance
            )
            ids = day_ids(data_dir, deleted)
            (data_dir / "contactship" / "calls" / f"{deleted}.parquet").unlink()
            late_id = sim.add_late_call(sim.start_date + timedelta(days=1))
            completed = sim.complete_in_progress(sim.end_date)
            sentiment_before = read_day(data_dir, "sentiment_daily", last)

            log = tmp_path / "daemon.log"
            with dagster_daemon(workspace, env, log, DAEMON_LIMIT_S):
                start = [dagster_command("dagster"), "sensor", "start", "--start-all"]
                subprocess.run(
                    [*start, "-w", str(workspace)],
                    env=env,
                    check=True,
                    timeout=60,
                    capture_output=True,
                )
                runs = _wait_for_runs(instance, days, log)
            backfills = {b.tags[HEALING_TAG] for b in instance.get_backfills()}

    assert runs == {day: DagsterRunStatus.SUCCESS for day in days}
    assert backfills == {"missing_days_sensor", "late_changes_sensor"}
    assert day_ids(data_dir, deleted) == ids
    assert late_id in day_ids(data_dir, late)
    calls = read_day(data_dir, "calls", last).set_index("id")
    assert set(calls.loc[completed, "call_status"]) == {"completed"}
    sentiment = read_day(data_dir, "sentiment_daily", last)
    assert sentiment["calls"].sum() == sentiment_before["calls"].sum() == len(calls)
    no_sentiment = sentiment.loc[sentiment["sentiment"].isna(), "calls"].sum()
    before = sentiment_before.loc[sentiment_before["sentiment"].isna(), "calls"].sum()
    assert no_sentiment == before - len(completed)
