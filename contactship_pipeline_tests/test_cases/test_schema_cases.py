"""Field cases about data shapes: every day keeps the one schema, the folder reads as one."""

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from contactship_pipeline.schema import CALLS_SCHEMA
from contactship_pipeline_tests.conftest import day_ids, read_day, run_days
from contactship_pipeline_tests.scripted_api import (
    ScriptedApi,
    case_records,
    load_case,
    serve_records,
)

SCHEMA_CASES = [
    "01_nested_object_null.json",
    "02_all_null_column_null_type.json",
    "03_empty_day.json",
    "06_mixed_iso_timestamp_formats.json",
]


def _run_case(name: str, tmp_path):
    case = load_case(name)
    records = case_records(case)
    with ScriptedApi(lambda params: serve_records(records, params)) as api:
        run_days(api.base_url, tmp_path, case["request_context"]["partitions"], api_key=api.api_key)
    return case


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_each_day_holds_exactly_its_calls_in_the_one_schema(name, tmp_path):
    case = _run_case(name, tmp_path)
    expected = case["expected"].get("ids_by_partition") or {
        case["request_context"]["partitions"][0]: case["expected"]["ids_by_partition"]
    }
    folder = tmp_path / "contactship" / "calls"
    for day, ids in expected.items():
        assert day_ids(tmp_path, day) == ids
        assert pa.parquet.read_schema(folder / f"{day}.parquet").remove_metadata() == CALLS_SCHEMA
    total = sum(len(ids) for ids in expected.values())
    # The folder reads as one dataset whichever file comes first, with every column.
    assert ds.dataset(folder).to_table().num_rows == total
    assert ds.dataset(folder).schema.remove_metadata() == CALLS_SCHEMA
    assert len(pd.read_parquet(folder)) == total
    query = f"select count(*) from read_parquet('{folder}/*.parquet')"
    assert duckdb.sql(query).fetchall() == [(total,)]
    assert sorted(f.name for f in folder.iterdir()) == sorted(f"{d}.parquet" for d in expected)


def test_nested_null_objects_give_null_columns_not_stray_ones(tmp_path):
    _run_case("01_nested_object_null.json", tmp_path)
    calls = pd.concat([read_day(tmp_path, "calls", d) for d in ("2026-03-14", "2026-03-15")])
    calls = calls.set_index("id")
    assert "contact" not in calls.columns and "call_analysis" not in calls.columns
    first, fourth, fifth = (f"00000001-0000-4000-8000-00000000000{n}" for n in (1, 4, 5))
    assert calls.loc[first, ["contact_id", "call_analysis_sentiment"]].isna().all()
    assert pd.isna(calls.loc[fourth, "call_analysis_summary"])
    assert calls.loc[fourth, "contact_full_name"] == "Morgan Moreau"
    assert pd.isna(calls.loc[fifth, "contact_email"])
    assert calls.loc[fifth, "call_analysis_sentiment"] == "positive"


def test_a_column_null_all_day_is_still_a_string_column(tmp_path):
    case = _run_case("02_all_null_column_null_type.json", tmp_path)
    table = ds.dataset(tmp_path / "contactship" / "calls").to_table()
    assert table.schema.field("campaign_id").type == pa.string()
    values = dict(zip(table["id"].to_pylist(), table["campaign_id"].to_pylist(), strict=True))
    assert values == case["expected"]["campaign_id_values"]


def test_mixed_timestamp_forms_are_exact_utc_instants(tmp_path):
    case = _run_case("06_mixed_iso_timestamp_formats.json", tmp_path)
    calls = read_day(tmp_path, "calls", "2026-03-15").set_index("id")
    for call_id, text in case["expected"]["start_at_values_utc"].items():
        assert calls.loc[call_id, "start_at"] == pd.Timestamp(text)
    assert str(calls["created_at"].dtype) == "datetime64[us, UTC]"
