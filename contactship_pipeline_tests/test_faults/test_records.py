"""Malformed calls: repaired where nothing is lost, otherwise rejected by id, never silently."""

import copy
import json
from datetime import date

import pyarrow.parquet as pq
import pytest
from dagster import DagsterInstance

from contactship_pipeline.policy import CallsPolicy, RejectedCallsError
from contactship_pipeline_tests.test_faults.conftest import (
    DAY,
    calls_file,
    expected_ids,
    files_under,
    put_previous,
    run_day,
)

PREFIX = "0000feed-0000-4000-8000-0000000000"


def _call(sim, number: int, **fields) -> dict:
    """A well-formed call of DAY with its own id and time, changed by `fields`."""
    call = copy.deepcopy(sim.calls_for_day(date(2026, 3, 15))[3])
    call.update(id=f"{PREFIX}{number:02d}", created_at=f"2026-03-15T12:00:{number:02d}Z")
    call.update(fields)
    return call


def _repairable(sim) -> dict[str, tuple[dict, dict]]:
    """id -> (call as sent, the stored values it must give)."""
    contact_nulls = dict.fromkeys(("id", "full_name", "phone_number", "email", "country"))
    cases = [
        ({"duration": "317"}, {"duration": 317}),
        ({"duration": 317.0}, {"duration": 317}),
        ({"duration": 317.6}, {"duration": 318}),
        ({"duration": "a while"}, {"duration": None}),
        ({"duration": True}, {"duration": None}),
        ({"duration": 2**70}, {"duration": None}),
        (
            {"call_status": "exploded", "direction": "sideways"},
            {"call_status": "exploded", "direction": "sideways"},
        ),
        (
            {"call_analysis": {"summary": None, "sentiment": "Ecstatic "}},
            {
                "call_analysis_summary": None,
                "call_analysis_sentiment": "Ecstatic ",
            },
        ),
        ({"contact": contact_nulls}, {"contact_full_name": None, "contact_country": None}),
        ({"contact": None, "call_analysis": None}, {"contact_id": None}),
        ({"from": "", "disconnection_reason": ""}, {"from": "", "disconnection_reason": ""}),
        ({"duration": ""}, {"duration": None}),
        (
            {"created_at": "2026-03-15t12:00:12.5z"},
            {"created_at": "2026-03-15 12:00:12.500000+00:00"},
        ),
        ({"agent_id": 1234}, {"agent_id": "1234"}),
        (
            {"recording_ms": 1234, "contact": {"id": "c-1", "nickname": "JJ"}},
            {
                "contact_id": "c-1",
                "extra_fields": '{"contact.nickname": "JJ", "recording_ms": 1234}',
            },
        ),
        (
            {"contact": "not an object"},
            {
                "contact_id": None,
                "extra_fields": '{"contact": "not an object"}',
            },
        ),
    ]
    calls = {}
    for number, (changes, stored) in enumerate(cases, start=1):
        call = _call(sim, number, **changes)
        calls[call["id"]] = (call, stored)
    return calls


def _unrepairable(sim) -> list[dict]:
    no_id = _call(sim, 50)
    del no_id["id"]
    return [
        no_id,
        _call(sim, 51, id=""),
        _call(sim, 52, id=52),
        _call(sim, 53, created_at="yesterday"),
        _call(sim, 54, created_at=None),
    ]


def _upsert(sim, calls: list[dict]) -> None:
    sim.upsert_calls(calls, day=date(2026, 3, 15))


def _warnings(instance: DagsterInstance) -> list[str]:
    (run,) = instance.get_runs()
    return [
        entry.user_message
        for entry in instance.all_logs(run.run_id)
        if entry.level >= 30 and entry.dagster_event is None
    ]


def test_repairable_calls_are_stored_with_exact_values_and_counted(sim, tmp_path):
    calls = _repairable(sim)
    _upsert(sim, [call for call, _ in calls.values()])
    result = run_day(sim, tmp_path)

    table = pq.read_table(calls_file(tmp_path))
    # Sorted: the simulator files the lower-case timestamp at midnight, unable to read it.
    assert sorted(table["id"].to_pylist()) == sorted(expected_ids(sim))
    rows = {row["id"]: row for row in table.to_pylist()}
    for call_id, (_, stored) in calls.items():
        row = rows[call_id]
        got = {k: str(row[k]) if k == "created_at" else row[k] for k in stored}
        assert got == stored, call_id
    metadata = result.asset_materializations_for_node("contactship__calls")[0].metadata
    by_column = metadata["repaired_by_column"].value
    assert by_column["duration"] == 7
    assert by_column["contact_id"] == 1 and by_column["agent_id"] == 1
    assert metadata["rejected_calls"].value == 0


def test_unrepairable_calls_fail_the_day_by_id_and_write_nothing(sim, tmp_path, previous_file):
    old = put_previous(previous_file, tmp_path)
    _upsert(sim, _unrepairable(sim))
    with pytest.raises(RejectedCallsError) as raised:
        run_day(sim, tmp_path)

    message = str(raised.value)
    assert f"{DAY}: 5 calls could not be stored" in message
    assert f"{PREFIX}53: created_at is missing or unreadable" in message
    assert f"{PREFIX}54: created_at is missing or unreadable" in message
    assert message.count("(no id): no usable id (created_at 2026-03-15T12:00:5") == 3
    assert "set rejected_calls='warn'" in message
    assert calls_file(tmp_path).read_bytes() == old
    assert files_under(tmp_path) == [f"calls/{DAY}.parquet"]


def test_with_warn_the_rest_is_stored_and_every_rejected_call_is_logged(sim, tmp_path):
    good = expected_ids(sim)
    _upsert(sim, _unrepairable(sim))
    instance = DagsterInstance.ephemeral()
    result = run_day(sim, tmp_path, policy=CallsPolicy(rejected_calls="warn"), instance=instance)

    assert pq.read_table(calls_file(tmp_path))["id"].to_pylist() == good
    metadata = result.asset_materializations_for_node("contactship__calls")[0].metadata
    assert metadata["rejected_calls"].value == 5
    assert metadata["rejected_call_ids"].value == ["(no id)", f"{PREFIX}53", f"{PREFIX}54"]
    (warning,) = _warnings(instance)
    assert f"{DAY}: 5 calls could not be stored" in warning
    assert f"{PREFIX}53" in warning and f"{PREFIX}54" in warning
    # Rejected by id and time only: not one personal value of those calls is logged.
    personal = sim.calls_for_day(date(2026, 3, 15))[3]
    for value in (personal["from"], *personal["contact"].values()):
        assert value not in json.dumps(_warnings(instance))


def test_a_call_without_id_is_rejected_by_its_own_day_only(sim, tmp_path):
    stray = _call(sim, 60, created_at="2026-03-14T08:00:00Z")
    del stray["id"]
    _upsert(sim, [stray])

    run_day(sim, tmp_path)  # 15 March holds nothing wrong
    assert pq.read_table(calls_file(tmp_path))["id"].to_pylist() == expected_ids(sim)
    with pytest.raises(RejectedCallsError, match=r"no usable id \(created_at 2026-03-14T08:00:00"):
        run_day(sim, tmp_path, day="2026-03-14")
