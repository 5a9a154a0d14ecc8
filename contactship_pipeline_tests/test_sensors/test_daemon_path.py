"""The sensors on the daemon's own code path, in this process.

`execute_sensor_iteration` is what the sensor daemon runs each loop, and
`execute_backfill_iteration` what the backfill daemon runs: ticks store real asset backfills
(the ones the UI lists), and backfill iterations launch their runs. Runs execute in this
process, so the test needs no wait on the backfill daemon's 30-second loop.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from dagster import DagsterInstance, instance_for_test
from dagster._core.execution.backfill import BulkActionStatus
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.test_utils import (
    InProcessTestWorkspaceLoadTarget,
    create_test_daemon_workspace_context,
)
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._daemon.backfill import execute_backfill_iteration
from dagster._daemon.sensor import execute_sensor_iteration

from contactship_pipeline.sensors.backfills import HEALING_TAG, unfinished_backfills
from contactship_pipeline.simulator import Simulator
from contactship_pipeline_tests.conftest import day_ids, read_day, run_days
from contactship_pipeline_tests.test_sensors.conftest import HEALED

API_KEY = "daemon-path-key"
SENSORS = ("missing_days_sensor", "late_changes_sensor")
TICK_INTERVAL_S = 1
LOG = logging.getLogger("contactship_pipeline_tests.daemon_path")


@dataclass
class Healing:
    """A loaded store, its simulator, and the daemon's workspace with both sensors on."""

    sim: Simulator
    instance: DagsterInstance
    workspace: object
    data_dir: Path
    days: list[str]
    last_tick: float = 0.0

    def tick(self) -> None:
        """One sensor daemon loop, once the sensors' minimum interval has passed."""
        time.sleep(max(0.0, self.last_tick + TICK_INTERVAL_S + 0.05 - time.monotonic()))
        list(execute_sensor_iteration(self.workspace, LOG, None, None))
        self.last_tick = time.monotonic()

    def run_backfills(self) -> None:
        """Backfill daemon loops until no backfill is left unfinished."""
        for _ in range(10):
            list(execute_backfill_iteration(self.workspace, LOG))
            if not unfinished_backfills(self.instance, {}):
                return
        raise AssertionError("backfills still unfinished after 10 iterations")

    def backfills(self, sensor: str) -> list:
        return [b for b in self.instance.get_backfills() if b.tags.get(HEALING_TAG) == sensor]

    def tick_message(self, sensor: str) -> str:
        """The skip reason of the sensor's latest tick, or its log if it had none."""
        remote = self._remote_sensor(sensor)
        tick = self.instance.get_ticks(remote.get_remote_origin_id(), remote.selector_id)[0]
        if tick.skip_reason:
            return tick.skip_reason
        log = self.instance.compute_log_manager.get_log_data(tick.log_key)
        return (log.stderr or b"").decode()

    def _remote_sensor(self, name: str):
        context = self.workspace.create_request_context()
        (entry,) = context.get_code_location_entries().values()
        (repository,) = entry.code_location.get_repositories().values()
        return repository.get_sensor(name)

    def start_sensors(self) -> None:
        for name in SENSORS:
            self.instance.start_sensor(self._remote_sensor(name))


@pytest.fixture
def healing(tmp_path, monkeypatch):
    """Three complete days before today, loaded, with the sensors turned on."""
    with Simulator(seed=11, days=3, calls_per_day=40, api_key=API_KEY) as sim:
        days = [(sim.start_date + timedelta(days=n)).isoformat() for n in range(3)]
        for name, value in {
            "CONTACTSHIP_BASE_URL": sim.base_url,
            "CONTACTSHIP_API_KEY": API_KEY,
            "CONTACTSHIP_DATA_DIR": str(tmp_path),
            "CONTACTSHIP_START_DATE": days[0],
            "CONTACTSHIP_MISSING_DAYS_INTERVAL_S": str(TICK_INTERVAL_S),
            "CONTACTSHIP_RECHECK_INTERVAL_S": str(TICK_INTERVAL_S),
        }.items():
            monkeypatch.setenv(name, value)
        origin = LoadableTargetOrigin(
            module_name="contactship_pipeline_tests.test_sensors.location",
            attribute="sensor_test_location",
        )
        target = InProcessTestWorkspaceLoadTarget(InProcessCodeLocationOrigin(origin))
        with instance_for_test(
            synchronous_run_coordinator=True, synchronous_run_launcher=True
        ) as instance:
            run_days(
                sim.base_url, tmp_path, days, api_key=API_KEY, start_date=days[0], instance=instance
            )
            with create_test_daemon_workspace_context(target, instance) as workspace:
                state = Healing(sim, instance, workspace, tmp_path, days)
                state.start_sensors()
                yield state


def _subset(backfill) -> dict[str, list[str]]:
    target = backfill.asset_backfill_data.target_subset
    return {
        key.to_user_string(): sorted(subset.get_partition_keys())
        for key, subset in target.partitions_subsets_by_asset_key.items()
    }


def _null_rows(table, column: str) -> int:
    frame = table.set_index(column, drop=False)
    return int(table.loc[table[column].isna(), "calls"].sum()) if len(frame) else 0


def test_a_deleted_day_returns_and_a_changed_day_is_reloaded(healing):
    deleted, late, last = healing.days
    ids = day_ids(healing.data_dir, deleted)
    (healing.data_dir / "contactship" / "calls" / f"{deleted}.parquet").unlink()

    healing.tick()
    (backfill,) = healing.instance.get_backfills()
    assert backfill.tags[HEALING_TAG] == "missing_days_sensor"
    assert backfill.status == BulkActionStatus.REQUESTED
    assert _subset(backfill) == {key: [deleted] for key in HEALED}
    assert healing.tick_message("late_changes_sensor").startswith("no change found in 2 days")

    # While that backfill runs, the next tick asks for nothing more.
    healing.tick()
    assert len(healing.instance.get_backfills()) == 1
    assert healing.tick_message("missing_days_sensor").endswith("is still running")

    healing.run_backfills()
    assert day_ids(healing.data_dir, deleted) == ids

    completed = healing.sim.complete_in_progress(healing.sim.end_date)
    late_id = healing.sim.add_late_call(healing.sim.start_date + timedelta(days=1))
    sentiment = read_day(healing.data_dir, "sentiment_daily", last)
    healing.tick()
    (reload,) = healing.backfills("late_changes_sensor")
    assert _subset(reload) == {key: [late, last] for key in HEALED}
    assert "compared 3 of 3 days with" in healing.tick_message("late_changes_sensor")
    assert (
        healing.tick_message("missing_days_sensor")
        == f"all 3 days from {deleted} to {last} are stored"
    )

    healing.run_backfills()
    late_ids = day_ids(healing.data_dir, late)
    assert late_id in late_ids and len(late_ids) == len(set(late_ids)) == 41
    calls = read_day(healing.data_dir, "calls", last).set_index("id")
    assert set(calls.loc[completed, "call_status"]) == {"completed"}
    assert not calls["call_status"].isin(["in-progress", "in-queue", "scheduled"]).any()
    after = read_day(healing.data_dir, "sentiment_daily", last)
    assert _null_rows(after, "sentiment") == _null_rows(sentiment, "sentiment") - len(completed)
    assert read_day(healing.data_dir, "sentiment_daily", late)["calls"].sum() == 41

    healing.tick()
    assert len(healing.instance.get_backfills()) == 2
    assert healing.tick_message("late_changes_sensor").startswith("no change found in 3 days")
