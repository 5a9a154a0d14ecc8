"""Pages that are not what they seem: repeats, short pages, envelope drift, no end in sight."""

import pyarrow.parquet as pq
import pytest

from contactship_pipeline.simulator import Fault
from contactship_pipeline_tests.conftest import day_ids, run_days
from contactship_pipeline_tests.scripted_api import ScriptedApi
from contactship_pipeline_tests.test_faults.conftest import (
    PAGE_SIZE,
    QUICK,
    calls_file,
    expected_ids,
    run_day,
)


def _day_ids(data_dir) -> list[str]:
    return pq.read_table(calls_file(data_dir))["id"].to_pylist()


def test_the_same_call_on_two_pages_is_kept_once(sim, tmp_path):
    # The page at 50 starts with the call already sent first at 25: 26 calls for a limit of
    # 25, so the offset overshoots by one; the count check catches it and pages again.
    sim.inject(Fault("duplicate", match={"offset": 50}))
    run_day(sim, tmp_path)
    ids = _day_ids(tmp_path)
    assert ids == expected_ids(sim) and len(set(ids)) == len(ids)
    assert [r["fault"] for r in sim.requests].count("duplicate") == 1


def test_a_short_page_that_is_not_the_last_does_not_end_paging(sim, tmp_path):
    sim.inject(Fault("short_page", match={"offset": PAGE_SIZE}, keep=7))
    run_day(sim, tmp_path)
    assert _day_ids(tmp_path) == expected_ids(sim)
    offsets = [r["params"]["offset"] for r in sim.requests if r["params"]["limit"] != "0"]
    assert offsets == ["0", "25", "32", "57", "82"]


@pytest.mark.parametrize("envelope", ["count_string", "count_missing"])
def test_envelope_drift_on_every_page_still_gives_the_exact_day(sim, tmp_path, envelope):
    sim.inject(Fault("envelope", envelope=envelope, times=None))
    result = run_day(sim, tmp_path)
    assert _day_ids(tmp_path) == expected_ids(sim)
    metadata = result.asset_materializations_for_node("contactship__calls")[0].metadata
    assert metadata["count_missing"].value is (envelope == "count_missing")


def test_null_data_on_a_page_that_has_calls_is_retried_not_read_as_the_end(sim, tmp_path):
    sim.inject(Fault("envelope", envelope="data_null", match={"offset": PAGE_SIZE}))
    run_day(sim, tmp_path)
    assert _day_ids(tmp_path) == expected_ids(sim)


def test_a_server_that_ignores_offset_and_sends_no_count_does_not_page_forever(sim, tmp_path):
    page = sim.calls_for_day(sim.start_date)[:3]
    served = []

    def respond(params):
        served.append(params["offset"])
        # A safety net for the test itself: without the guard this would page forever.
        return 200, {}, {"data": page if len(served) < 50 else []}

    with ScriptedApi(respond, api_key="case-key") as api:
        run_days(
            api.base_url,
            tmp_path,
            [sim.start_date.isoformat()],
            api_key=api.api_key,
            selection="contactship/calls",
            **QUICK,
        )
    assert served == ["0", "3"]
    assert day_ids(tmp_path, sim.start_date.isoformat()) == [call["id"] for call in page]
