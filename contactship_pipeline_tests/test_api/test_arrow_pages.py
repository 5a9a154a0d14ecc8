"""Pages read straight into Arrow give the same table as the careful dict path, value for value.

The reference is the careful path: `JsonPageReader` (the API's dicts, deduplicated by id) and
`flatten_calls`. Every page below is read both ways; the fast path may only be faster.
"""

import json
from datetime import UTC, date, datetime

import pyarrow as pa
import pytest

from contactship_pipeline.api import WindowFetch
from contactship_pipeline.api.paging import JsonPageReader
from contactship_pipeline.arrow_pages import ArrowCallsReader, CarefulCalls, ParsedCalls
from contactship_pipeline.flatten import flatten_calls
from contactship_pipeline.schema import CALLS_SCHEMA
from contactship_pipeline.simulator.data import CallGenerator
from contactship_pipeline_tests.scripted_api import case_records, load_case

DAY = date(2026, 3, 11)


def _body(calls: list[dict], count: int | None = None, **dumps) -> bytes:
    envelope = {"data": calls, "count": len(calls) if count is None else count}
    return json.dumps(envelope, **dumps).encode()


def _careful(bodies: list[bytes], window=None):
    reader, fetch = JsonPageReader(), WindowFetch()
    reader.combine([reader.read(body, "test") for body in bodies], fetch)
    table, report = flatten_calls(fetch.records + fetch.without_id, window)
    return table, report, fetch


def _fast(bodies: list[bytes], together: bool = True, window=None):
    reader, fetch = ArrowCallsReader(window), WindowFetch()
    if together:
        pages = reader.read_many(bodies, "test")
    else:
        pages = [reader.read(body, "test") for body in bodies]
    reader.combine(pages, fetch)
    return fetch.records.table, fetch.records.report, fetch, pages


def _same(bodies: list[bytes], together: bool = True, window=None):
    expected, expected_report, careful = _careful(bodies, window)
    table, report, fetch, pages = _fast(bodies, together, window)
    order = [("created_at", "ascending"), ("id", "ascending")]
    assert table.schema == CALLS_SCHEMA
    assert table.sort_by(order).to_pylist() == expected.sort_by(order).to_pylist()
    assert dict(report.repaired) == dict(expected_report.repaired)
    assert sorted(report.rejected, key=str) == sorted(expected_report.rejected, key=str)
    assert (fetch.received, fetch.duplicates) == (careful.received, careful.duplicates)
    return pages


def test_simulated_pages_are_read_fast_and_match_the_careful_path():
    calls = CallGenerator(5, DAY, DAY, 120).calls_for(DAY)
    bodies = [_body(calls[start : start + 25], count=120) for start in range(0, 120, 25)]
    for together in (True, False):
        pages = _same(bodies, together)
        assert all(isinstance(page.records, ParsedCalls) for page in pages)
        assert [page.size for page in pages] == [25, 25, 25, 25, 20]
        assert {page.count for page in pages} == {120}


@pytest.mark.parametrize(
    "name",
    [
        "01_nested_object_null.json",
        "02_all_null_column_null_type.json",
        "06_mixed_iso_timestamp_formats.json",
    ],
)
def test_the_field_cases_match_the_careful_path(name):
    records = case_records(load_case(name))
    _same([_body(records[:2]), _body(records[2:])])


def test_pages_that_need_repairs_go_the_careful_way_alone():
    calls = CallGenerator(6, DAY, DAY, 40).calls_for(DAY)
    odd = [
        {**calls[10], "duration": "317"},
        {**calls[11], "duration": 12.0, "direction": 7},
        {**calls[12], "agent_id": None, "surprise": {"nested": True}},
        {**calls[13], "contact": {**(calls[13]["contact"] or {}), "nickname": "JJ"}},
        {**calls[14], "chat_history": [{"role": "agent", "content": "Hello"}]},
        {**calls[15], "start_at": "2026-03-11T10:00:00"},
        {**calls[16], "created_at": "not a date"},
        {**calls[17], "id": ""},
        {**calls[18], "contact": []},
    ]
    bodies = [_body(calls[:10])] + [_body([call]) for call in odd] + [_body(calls[20:30])]
    pages = _same(bodies)
    # Only the page whose values all fit goes fast (its empty id is set aside when combined);
    # the others, a timestamp Arrow cannot read included, go the careful way one by one.
    fast, careful = ParsedCalls, CarefulCalls
    expected = [fast, *[careful] * 7, fast, careful, fast]
    assert [type(page.records) for page in pages] == expected


def test_only_the_calls_of_the_window_are_kept_and_only_its_calls_without_id_rejected():
    day = CallGenerator(10, date(2026, 3, 10), date(2026, 3, 12), 20)
    calls = [call for d in (10, 11, 12) for call in day.calls_for(date(2026, 3, d))]
    anonymous = [{k: v for k, v in call.items() if k != "id"} for call in (calls[5], calls[25])]
    blank = {**calls[45], "id": "  "}
    bodies = [_body(calls[:30]), _body([*anonymous, blank, *calls[30:]]), _body([calls[3]])]
    window = (datetime(2026, 3, 11, tzinfo=UTC), datetime(2026, 3, 12, tzinfo=UTC))
    _same(bodies, window=window)
    table, report, fetch, _ = _fast(bodies, window=window)
    assert table.num_rows == 20  # the 11th's calls; a copy of one of them came without an id
    assert [reason.split(" (")[0] for _, reason in report.rejected] == ["no usable id"]
    # Every distinct id (a blank one too), the two without, and the call paged twice.
    assert (fetch.received, fetch.duplicates) == (61 + 2, 1)


def test_a_call_seen_twice_keeps_its_latest_copy():
    calls = CallGenerator(7, DAY, DAY, 30).calls_for(DAY)
    changed = {**calls[5], "call_status": "failed", "call_analysis": None}
    bodies = [_body(calls[:10]), _body([changed, *calls[10:20]]), _body(calls[20:])]
    _same(bodies)
    table, _, fetch, _ = _fast(bodies)
    (row,) = [r for r in table.to_pylist() if r["id"] == changed["id"]]
    assert (row["call_status"], row["call_analysis_summary"], fetch.duplicates) == (
        "failed",
        None,
        1,
    )


def test_a_body_that_is_not_a_page_is_handed_back_to_be_fetched_again():
    calls = CallGenerator(8, DAY, DAY, 20).calls_for(DAY)
    bodies = [
        _body(calls[:10]),
        b'{"error": "Query timed out, please retry"}',
        _body(calls[10:])[:-20],
        b"<html>Bad Gateway</html>",
        _body([None], count=1),
    ]
    pages = ArrowCallsReader().read_many(bodies, "test")
    assert pages[0] is not None and pages[0].size == 10
    assert pages[1:] == [None, None, None, None]


def test_pretty_printed_and_empty_pages_are_read():
    calls = CallGenerator(9, DAY, DAY, 12).calls_for(DAY)
    bodies = [
        _body(calls[:6], count=12, indent=2),
        _body(calls[6:], count=12),
        b'{"data": [], "count": 12}',
    ]
    pages = _same(bodies)
    assert [page.size for page in pages] == [6, 6, 0]


def test_an_empty_window_is_an_empty_table_in_the_schema():
    table, report, fetch, _ = _fast([_body([])])
    assert table.schema == CALLS_SCHEMA and table.num_rows == 0
    assert (fetch.received, report.rejected) == (0, [])
    assert table.column("created_at").type == pa.timestamp("us", tz="UTC")
