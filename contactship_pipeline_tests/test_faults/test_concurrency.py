"""Two runs of one day at once leave one complete, correct file and nothing else."""

import threading

import pyarrow.parquet as pq
from dagster import AssetKey, DagsterInstance, build_output_context
from upath import UPath

from contactship_pipeline.io_manager import ParquetUPathIOManager, read_frame
from contactship_pipeline_tests.test_faults.conftest import (
    DAY,
    calls_file,
    expected_ids,
    files_under,
    run_day,
)


def _in_lockstep(sim, runs: int) -> threading.Barrier:
    """Hold each run's first page until every run has asked for it."""
    barrier = threading.Barrier(runs, timeout=20)

    def hook(index, params):
        if params.get("offset") == "0" and params.get("limit") != "0":
            barrier.wait()

    sim.on_request(hook)
    return barrier


def test_two_runs_of_the_same_day_at_once_leave_one_correct_file(sim, tmp_path):
    _in_lockstep(sim, 2)
    outcomes: list = []

    def one_run():
        try:
            result = run_day(sim, tmp_path, instance=DagsterInstance.ephemeral())
            outcomes.append(result.success)
        except Exception as error:  # reported below, with the other run's outcome
            outcomes.append(error)

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes == [True, True]
    first_pages = [r for r in sim.requests if r["params"]["offset"] == "0"]
    assert len(first_pages) == 4  # two runs, each a page and a count check
    assert pq.read_table(calls_file(tmp_path))["id"].to_pylist() == expected_ids(sim)
    assert files_under(tmp_path) == [f"calls/{DAY}.parquet"]


def test_a_reader_sees_one_whole_version_or_the_other_while_writers_race(sim, tmp_path):
    run_day(sim, tmp_path)
    whole = read_frame(UPath(calls_file(tmp_path)))
    versions = {len(whole): whole, 5: whole.head(5)}
    manager = ParquetUPathIOManager(base_path=UPath(tmp_path))
    context = build_output_context(asset_key=AssetKey(["contactship", "calls"]))
    path = UPath(calls_file(tmp_path))
    start = threading.Barrier(3, timeout=20)
    writing = threading.Event()
    seen: list = []

    def writer(frame):
        start.wait()
        for _ in range(15):
            manager.dump_to_path(context, frame, path)

    def reader():
        start.wait()
        while writing.is_set():
            try:
                seen.append(len(read_frame(path)))
            except Exception as error:  # a half-written file would land here
                seen.append(error)

    writing.set()
    writers = [threading.Thread(target=writer, args=(f,)) for f in versions.values()]
    watcher = threading.Thread(target=reader)
    for thread in [*writers, watcher]:
        thread.start()
    for thread in writers:
        thread.join(timeout=60)
    writing.clear()
    watcher.join(timeout=60)

    assert seen and set(seen) <= set(versions)
    assert len(read_frame(path)) in versions
    assert files_under(tmp_path) == [f"calls/{DAY}.parquet"]
