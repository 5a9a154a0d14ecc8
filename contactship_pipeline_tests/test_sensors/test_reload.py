"""Loading a day again, as every healing backfill does: same calls, once each, swapped whole."""

from datetime import date

from dagster import AssetKey
from upath import UPath

from contactship_pipeline.io_manager import ParquetUPathIOManager
from contactship_pipeline_tests.conftest import day_ids, run_days

DAY = "2026-03-14"


def test_a_reloaded_day_has_the_same_calls_once_each_in_a_new_file(simulator, tmp_path):
    path = tmp_path / "contactship" / "calls" / f"{DAY}.parquet"
    run_days(simulator.base_url, tmp_path, [DAY], selection="contactship/calls")
    first = day_ids(tmp_path, DAY)
    old_file = path.stat().st_ino

    run_days(simulator.base_url, tmp_path, [DAY], selection="contactship/calls")
    again = day_ids(tmp_path, DAY)

    assert again == first
    assert len(set(again)) == len(again) == 40
    assert set(again) == {call["id"] for call in simulator.calls_for_day(date(2026, 3, 14))}
    # Written beside and renamed over the old one: a reader sees one file or the other.
    assert path.stat().st_ino != old_file
    assert [p.name for p in path.parent.iterdir()] == [f"{DAY}.parquet"]


def test_the_sensors_look_for_the_file_where_the_io_manager_writes_it(simulator, tmp_path):
    run_days(simulator.base_url, tmp_path, [DAY], selection="contactship/calls")
    io_manager = ParquetUPathIOManager(base_path=UPath(tmp_path))
    where = io_manager.partition_path(AssetKey(["contactship", "calls"]), DAY)
    assert where == UPath(tmp_path / "contactship" / "calls" / f"{DAY}.parquet")
    assert where.exists()
