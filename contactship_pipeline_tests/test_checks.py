"""Asset checks against real storage and the simulator: they pass on a good day, and each fails
on the fault it is for, naming the calls at fault by id."""

from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from dagster import AssetCheckKey, AssetKey, AssetSelection, Definitions, define_asset_job
from dagster._core.storage.tags import PARTITION_NAME_TAG

from contactship_pipeline.definitions import build_definitions
from contactship_pipeline.resources import ContactshipResource
from contactship_pipeline.schema import CALLS_SCHEMA
from contactship_pipeline.settings import Settings
from contactship_pipeline_tests.conftest import API_KEY, run_days

DAY = "2026-03-15"
CALLS = AssetKey(["contactship", "calls"])
SENTIMENT = AssetKey(["contactship", "sentiment_daily"])
DISCONNECTIONS = AssetKey(["contactship", "disconnections_daily"])
DAILY_CHECKS = AssetSelection.checks(
    *[
        AssetCheckKey(CALLS, name)
        for name in ("ids_unique", "schema_is_published", "created_inside_the_day")
    ],
    AssetCheckKey(CALLS, "matches_the_api"),
    AssetCheckKey(SENTIMENT, "shares_sum_to_one"),
    AssetCheckKey(DISCONNECTIONS, "shares_sum_to_one"),
)


def _evaluations(result) -> dict[str, tuple[bool, dict]]:
    return {
        f"{e.asset_key.path[-1]}:{e.check_name}": (
            e.passed,
            {key: value.value for key, value in e.metadata.items()},
        )
        for e in result.get_asset_check_evaluations()
    }


def _check_again(simulator, data_dir) -> dict[str, tuple[bool, dict]]:
    """Run the day's checks alone, on what storage holds now, as the UI's *Execute* does."""
    settings = Settings(data_dir=str(data_dir), start_date="2026-03-01")
    defs = build_definitions(
        settings, contactship=ContactshipResource(base_url=simulator.base_url, api_key=API_KEY)
    )
    recheck = define_asset_job("recheck", selection=DAILY_CHECKS)
    job = Definitions.merge(defs, Definitions(jobs=[recheck])).resolve_job_def("recheck")
    # The partition goes in as a run tag: a selection of checks alone carries no partitions.
    # A failed blocking check fails its run; the evaluation is recorded all the same.
    result = job.execute_in_process(tags={PARTITION_NAME_TAG: DAY}, raise_on_error=False)
    return _evaluations(result)


def _rewrite(data_dir, asset: str, change) -> None:
    path = data_dir / "contactship" / asset / f"{DAY}.parquet"
    table = pq.read_table(path)
    pq.write_table(change(table), path)


@pytest.fixture()
def stored_day(simulator, tmp_path):
    (result,) = run_days(simulator.base_url, tmp_path, [DAY], checks=True)
    return tmp_path, _evaluations(result)


def test_every_check_passes_on_a_day_as_stored(stored_day):
    _, checks = stored_day
    daily = {name: passed for name, (passed, _) in checks.items() if "freshness" not in name}
    assert daily == {
        "calls:ids_unique": True,
        "calls:schema_is_published": True,
        "calls:created_inside_the_day": True,
        "calls:matches_the_api": True,
        "sentiment_daily:shares_sum_to_one": True,
        "disconnections_daily:shares_sum_to_one": True,
    }
    # 40 generated calls and the vendor's example; the window holds 14th, 15th and 16th.
    api = checks["calls:matches_the_api"][1]
    assert (api["stored_rows"], api["api_calls_in_day"], api["api_window_count"]) == (41, 41, 121)
    assert api["api_window"] == "2026-03-14..2026-03-16"


def test_a_repeated_id_fails_by_id(simulator, stored_day):
    data_dir, _ = stored_day
    repeated = []

    def repeat_first(table: pa.Table) -> pa.Table:
        repeated.append(table["id"][0].as_py())
        return pa.concat_tables([table, table.slice(0, 1)])

    _rewrite(data_dir, "calls", repeat_first)
    checks = _check_again(simulator, data_dir)
    assert checks["calls:ids_unique"] == (False, {"repeated_ids": 1, "ids": repeated[0]})


def test_a_call_from_another_day_fails_by_id(simulator, stored_day):
    data_dir, _ = stored_day
    moved = []

    def move_last_to_the_next_day(table: pa.Table) -> pa.Table:
        moved.append(table["id"][-1].as_py())
        created = table["created_at"].to_pylist()
        created[-1] = datetime(2026, 3, 16, 0, 0, tzinfo=UTC)
        column = pa.array(created, CALLS_SCHEMA.field("created_at").type)
        return table.set_column(1, CALLS_SCHEMA.field("created_at"), column)

    _rewrite(data_dir, "calls", move_last_to_the_next_day)
    passed, metadata = _check_again(simulator, data_dir)["calls:created_inside_the_day"]
    assert (passed, metadata["calls_outside"], metadata["ids"]) == (False, 1, moved[0])
    assert metadata["window_utc"] == "2026-03-15T00:00:00+00:00 .. 2026-03-16T00:00:00+00:00"


def test_a_lost_and_an_invented_call_fail_against_the_api_by_id(simulator, stored_day):
    data_dir, _ = stored_day
    swapped = []

    def replace_first_id(table: pa.Table) -> pa.Table:
        swapped.append(table["id"][0].as_py())
        ids = ["invented-0001", *table["id"].to_pylist()[1:]]
        return table.set_column(0, CALLS_SCHEMA.field("id"), pa.array(ids, pa.string()))

    _rewrite(data_dir, "calls", replace_first_id)
    passed, metadata = _check_again(simulator, data_dir)["calls:matches_the_api"]
    assert passed is False
    assert (metadata["stored_rows"], metadata["api_calls_in_day"]) == (41, 41)
    assert (metadata["missing_ids"], metadata["unexpected_ids"]) == (swapped[0], "invented-0001")


def test_a_dropped_call_fails_against_the_api_count(simulator, stored_day):
    data_dir, _ = stored_day
    _rewrite(data_dir, "calls", lambda table: table.slice(1))
    passed, metadata = _check_again(simulator, data_dir)["calls:matches_the_api"]
    assert (passed, metadata["stored_rows"], metadata["api_calls_in_day"]) == (False, 40, 41)


def test_a_column_of_the_wrong_type_fails_by_name(simulator, stored_day):
    data_dir, _ = stored_day

    def duration_as_text(table: pa.Table) -> pa.Table:
        index = table.schema.get_field_index("duration")
        return table.set_column(index, "duration", pc.cast(table["duration"], pa.string()))

    _rewrite(data_dir, "calls", duration_as_text)
    checks = _check_again(simulator, data_dir)
    assert checks["calls:schema_is_published"] == (
        False,
        {"problems": "duration is string, published int64"},
    )


def test_shares_that_do_not_add_up_fail_by_day(simulator, stored_day):
    data_dir, _ = stored_day

    def halve_the_first_share(table: pa.Table) -> pa.Table:
        shares = table["share"].to_pylist()
        expected_total = sum(shares) - shares[0] / 2
        shares[0] /= 2
        halved.append(expected_total)
        index = table.schema.get_field_index("share")
        return table.set_column(index, table.schema.field("share"), pa.array(shares, pa.float64()))

    halved: list[float] = []
    _rewrite(data_dir, "sentiment_daily", halve_the_first_share)
    checks = _check_again(simulator, data_dir)
    assert checks["sentiment_daily:shares_sum_to_one"] == (
        False,
        {"days": 1, "days_off": f"{DAY}: {halved[0]:.6f}"},
    )
    assert checks["disconnections_daily:shares_sum_to_one"][0] is True
