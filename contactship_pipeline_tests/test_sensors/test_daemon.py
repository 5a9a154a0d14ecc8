"""End to end with the real `dagster-daemon run` process, against the simulator.

A deleted day comes back with the same calls, and a day that changed upstream is loaded again,
aggregates included, with nobody launching anything: the sensors ask, the daemon runs.
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

API_KEY = "daemon-test-key"
DAEMON_LIMIT_S = 150
WAIT_S = 120
FINISHED = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


def _environment(home, data_dir, sim) -> dict[str, str]:
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "CONTACTSHIP_BASE_URL": sim.base_url,
        "CONTACTSHIP_API_KEY": API_KEY,
        "CONTACTSHIP_DATA_DIR": str(data_dir),
        "CONTACTSHIP_START_DATE": sim.start_date.isoformat(),
        "CONTACTSHIP_MISSING_DAYS_INTERVAL_S": "1",
        "CONTACTSHIP_RECHECK_INTERVAL_S": "1",
    }


def _healing_runs(instance: DagsterInstance) -> dict[str, DagsterRunStatus]:
    """Status of the latest healing run per partition."""
    runs = instance.get_runs(
        filters=RunsFilter(tags={HEALING_TAG: ["missing_days_sensor", "late_changes_sensor"]})
    )
    latest: dict[str, DagsterRunStatus] = {}
    for run in sorted(
        runs, key=lambda r: r.create_timestamp if hasattr(r, "create_timestamp") else 0
    ):
        latest[run.tags["dagster/partition"]] = run.status
    return latest


def _wait_for_runs(instance, days, log) -> dict:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        runs = _healing_runs(instance)
        if set(days) <= set(runs) and all(runs[d] in FINISHED for d in days):
            return runs
        time.sleep(1)
    raise AssertionError(
        f"no healing runs for {days} in {WAIT_S}s; daemon log:\n{log.read_text()[-4000:]}"
    )


def test_the_daemon_heals_a_deleted_day_and_a_changed_day(tmp_path):
    started = time.monotonic()
    with Simulator(seed=11, days=3, calls_per_day=40, api_key=API_KEY) as sim:
        days = [(sim.start_date + timedelta(days=n)).isoformat() for n in range(3)]
        deleted, late, running = days
        home = write_dagster_home(tmp_path / "home")
        data_dir = tmp_path / "data"
        env = _environment(home, data_dir, sim)
        with DagsterInstance.from_config(str(home)) as instance:
            run_days(
                sim.base_url, data_dir, days, api_key=API_KEY, start_date=days[0], instance=instance
            )
            ids = day_ids(data_dir, deleted)
            (data_dir / "contactship" / "calls" / f"{deleted}.parquet").unlink()
            late_id = sim.add_late_call(sim.start_date + timedelta(days=1))
            completed = sim.complete_in_progress(sim.start_date + timedelta(days=2))
            print("setup", time.monotonic() - started)

            workspace = write_workspace(tmp_path)
            log = tmp_path / "daemon.log"
            with dagster_daemon(workspace, env, log, DAEMON_LIMIT_S):
                subprocess.run(
                    [
                        dagster_command("dagster"),
                        "sensor",
                        "start",
                        "--start-all",
                        "-w",
                        str(workspace),
                    ],
                    env=env,
                    check=True,
                    timeout=60,
                    capture_output=True,
                )
                print("sensors on", time.monotonic() - started)
                runs = _wait_for_runs(instance, days, log)
                print("runs", time.monotonic() - started, runs)
    print("total", time.monotonic() - started)
    assert runs == {day: DagsterRunStatus.SUCCESS for day in days}
    assert day_ids(data_dir, deleted) == ids
    assert late_id in day_ids(data_dir, late)
    calls = read_day(data_dir, "calls", running).set_index("id")
    assert set(calls.loc[completed, "call_status"]) == {"completed"}
