"""Personal fields kept, hashed or dropped in the files; the key and the values nowhere else."""

import copy
import hashlib
import hmac
import traceback
from datetime import date

import pyarrow.parquet as pq
import pytest
from dagster import DagsterInstance, materialize, serialize_value

from contactship_pipeline.api import ContactshipAuthError, ContactshipBadRequestError
from contactship_pipeline.definitions import build_definitions
from contactship_pipeline.policy import CallsPolicy
from contactship_pipeline.resources import ContactshipResource
from contactship_pipeline.schema import PERSONAL_COLUMNS
from contactship_pipeline.settings import Settings, SettingsError, TranscriptOptions
from contactship_pipeline.simulator import Fault, Simulator
from contactship_pipeline_tests.test_faults.conftest import run_day

KEY = "sk-live-LEAKCHECK-9f8e7d6c5b4a3921"
HASH_KEY = "hash-secret-0123456789abcdef"
DAYS = ["2026-03-14", "2026-03-15"]
# Outside every range the simulator draws from, so a hit can only be a leak.
PERSON = {
    "from": "+61491570156",
    "full_name": "Zebulon Quixote-Marchetti",
    "phone_number": "+61491570157",
    "email": "zebulon.quixote@example.org",
}
NEEDLES = ("61491570156", "61491570157", "Zebulon", "Quixote", "zebulon.quixote")
POLICIES = {
    "keep": CallsPolicy(),
    "hash": CallsPolicy(personal_data="hash", hash_key=HASH_KEY),
    "drop": CallsPolicy(personal_data="drop"),
}


@pytest.fixture
def sim():
    """Two days of calls, and the same person calling on both, with a field nobody knows."""
    with Simulator(
        seed=23, start_date=date(2026, 3, 13), end_date=date(2026, 3, 16), calls_per_day=15,
        api_key=KEY,
    ) as simulator:  # fmt: skip
        calls = []
        for number, day in enumerate(DAYS, start=1):
            call = copy.deepcopy(simulator.calls_for_day(date.fromisoformat(day))[0])
            call.update(
                id=f"0000a11c-0000-4000-8000-00000000000{number}", **{"from": PERSON["from"]}
            )
            call["contact"] = {
                **call["contact"],
                **{k: v for k, v in PERSON.items() if k != "from"},
            }
            call["callback_note"] = f"call {PERSON['full_name']} back"
            summary = f"{PERSON['full_name']} asked for a callback on {PERSON['phone_number']}."
            call["call_analysis"] = {"summary": summary, "sentiment": "positive"}
            # The person says who they are, and the agent looks them up by number.
            said = f"This is {PERSON['full_name']}, on {PERSON['phone_number']}, {PERSON['email']}"
            turn = {"role": "user", "content": said, "start": 1.0, "end": 4.0}
            call["chat_history"] = [{**turn, "words": [{"word": w} for w in said.split()]}]
            lookup = {"role": "tool_call_invocation", "tool_call_id": "t1", "name": "lookup"}
            lookup["arguments"] = {"phone_number": PERSON["from"]}
            call["chat_history_with_tools"] = [turn, lookup]
            calls.append(call)
        simulator.upsert_calls(calls)
        yield simulator


def _personal_values(sim) -> set[str]:
    values = set(PERSON.values())
    for call in sim.all_calls():
        values.add(call["from"])
        contact = call.get("contact") or {}
        values.update(contact[k] for k in ("full_name", "phone_number", "email"))
    return {value for value in values if value}


def _run(sim, data_dir, policy, instance, **settings):
    """Every asset of both days, the transcript tables included."""
    for day in DAYS:
        run_day(
            sim, data_dir, day=day, api_key=KEY, policy=policy, instance=instance,
            selection=None, transcripts=TranscriptOptions(True, True, True), **settings,
        )  # fmt: skip


def _rows(data_dir) -> list[dict]:
    folder = data_dir / "contactship" / "calls"
    return [row for day in DAYS for row in pq.read_table(folder / f"{day}.parquet").to_pylist()]


def _digest(value: str) -> str:
    return hmac.new(HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def test_each_mode_on_the_written_files(sim, tmp_path):
    files = {}
    for mode, policy in POLICIES.items():
        _run(sim, tmp_path / mode, policy, DagsterInstance.ephemeral())
        files[mode] = {row["id"]: row for row in _rows(tmp_path / mode)}
    kept, hashed, dropped = files["keep"], files["hash"], files["drop"]
    assert kept.keys() == hashed.keys() == dropped.keys() and len(kept) == 15 + 16 + 2

    ours = [kept[f"0000a11c-0000-4000-8000-00000000000{n}"] for n in (1, 2)]
    assert [row["contact_email"] for row in ours] == [PERSON["email"]] * 2
    assert all('"callback_note"' in row["extra_fields"] for row in ours)
    for call_id, row in kept.items():
        for column in PERSONAL_COLUMNS:
            value = row[column]
            assert hashed[call_id][column] == (None if value is None else _digest(value))
            assert dropped[call_id][column] is None
        free = (*PERSONAL_COLUMNS, "call_analysis_summary")
        rest = {k: v for k, v in row.items() if k not in free} | {"extra_fields": None}
        for mode in (hashed, dropped):
            assert {k: v for k, v in mode[call_id].items() if k not in free} == rest
    # The summary is free text about the call: the person's own values are replaced in it.
    ours_ids = [f"0000a11c-0000-4000-8000-00000000000{n}" for n in (1, 2)]
    for call_id in set(kept) - set(ours_ids):
        summaries = [m[call_id]["call_analysis_summary"] for m in (kept, hashed, dropped)]
        assert summaries[0] == summaries[1] == summaries[2]
    for call_id in ours_ids:
        assert dropped[call_id]["call_analysis_summary"] == (
            "[redacted] asked for a callback on [redacted]."
        )
        assert hashed[call_id]["call_analysis_summary"] == (
            f"{_digest(PERSON['full_name'])} asked for a callback on "
            f"{_digest(PERSON['phone_number'])}."
        )
    # Hashes join across days: the same person has the same hash on both.
    both = [hashed[f"0000a11c-0000-4000-8000-00000000000{n}"] for n in (1, 2)]
    assert both[0]["contact_email"] == both[1]["contact_email"] == _digest(PERSON["email"])
    values = _personal_values(sim)
    for mode in (hashed, dropped):
        cells = {str(v) for row in mode.values() for v in row.values()}
        assert not values & cells


def _everything(instance, capfd, caplog, *texts) -> str:
    """Every text a run leaves: runs, event logs (metadata included), output, logs, errors."""
    found = list(texts)
    for run in instance.get_runs():
        found.append(serialize_value(run))
        found += [serialize_value(entry) for entry in instance.all_logs(run.run_id)]
    printed = capfd.readouterr()
    return "\n".join([*found, printed.out, printed.err, caplog.text])


def _error_text(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))


@pytest.mark.parametrize("mode", POLICIES)
def test_nothing_a_run_leaves_holds_the_key_or_personal_values(sim, tmp_path, capfd, caplog, mode):
    policy = POLICIES[mode]
    instance = DagsterInstance.ephemeral()
    _run(sim, tmp_path, policy, instance)
    # The transcripts, which hold the person's values, went through the run too.
    assert all((tmp_path / "contactship/call_tool_events" / f"{d}.parquet").exists() for d in DAYS)

    # A reset with the phone filter on: urllib3 logs the URL it retries.
    sim.inject(Fault("reset"))
    run_day(
        sim, tmp_path, api_key=KEY, policy=policy, instance=instance, phone_number=PERSON["from"]
    )
    # The key stops working mid-run.
    sim.inject(Fault("status", status=401, after=2, times=None))
    with pytest.raises(ContactshipAuthError) as auth:
        run_day(sim, tmp_path, api_key=KEY, policy=policy, instance=instance)
    sim.clear_faults()
    # A gateway that echoes the request in its 400.
    echo = f"rejected key {KEY} ({KEY.lower()}) for {PERSON['from']} <{PERSON['email']}>"
    sim.inject(Fault("status", status=400, body={"message": echo}, times=None))
    with pytest.raises(ContactshipBadRequestError) as bad:
        run_day(sim, tmp_path, api_key=KEY, policy=policy, instance=instance)
    # A setting refused before any request.
    with pytest.raises(ValueError) as refused:
        ContactshipResource(base_url=sim.base_url, api_key=KEY, call_status="done")

    assert "(400): rejected key <redacted> (<redacted>) for <redacted> <<redacted>>" in str(
        bad.value
    )
    assert [r["fault"] for r in sim.requests].count("reset") == 1
    text = _everything(
        instance, capfd, caplog, *(_error_text(e.value) for e in (auth, bad, refused))
    )
    assert "Retrying" in text and "phoneNumber=<redacted>" in text
    # Asserted without quoting the text, so a failure does not print what leaked.
    lowered = text.lower()
    assert not (KEY.lower() in lowered or KEY[:12].lower() in lowered), "the API key leaked"
    assert HASH_KEY not in text, "the hash key leaked"
    leaked = [n for n in (*NEEDLES, *_personal_values(sim)) if n in text]
    assert not leaked, f"{len(leaked)} personal values leaked"


def test_the_environment_chooses_the_mode_and_hash_needs_a_key(sim, tmp_path, monkeypatch):
    with pytest.raises(SettingsError, match="CONTACTSHIP_HASH_KEY: a random secret of at least 16"):
        Settings.from_env({"CONTACTSHIP_PERSONAL_DATA": "hash"})
    with pytest.raises(SettingsError, match="at least 16"):
        Settings.from_env({"CONTACTSHIP_PERSONAL_DATA": "hash", "CONTACTSHIP_HASH_KEY": "short"})
    with pytest.raises(SettingsError, match="'scramble' is not one of keep, hash, drop"):
        Settings.from_env({"CONTACTSHIP_PERSONAL_DATA": "scramble"})
    with pytest.raises(SettingsError, match="CONTACTSHIP_REJECTED_CALLS='skip'"):
        Settings.from_env({"CONTACTSHIP_REJECTED_CALLS": "skip"})

    env = {
        "CONTACTSHIP_BASE_URL": sim.base_url,
        "CONTACTSHIP_DATA_DIR": str(tmp_path),
        "CONTACTSHIP_START_DATE": "2026-03-01",
        "CONTACTSHIP_PERSONAL_DATA": "hash",
        "CONTACTSHIP_HASH_KEY": HASH_KEY,
        "CONTACTSHIP_API_KEY": KEY,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    defs = build_definitions(Settings.from_env())
    policy = defs.resources["calls_policy"]
    assert (policy.personal_data, policy.rejected_calls) == ("hash", "fail")
    materialize(
        list(defs.assets),
        resources=defs.resources,
        partition_key="2026-03-15",
        selection="contactship/calls",
    )
    (row,) = [r for r in _rows_of(tmp_path, "2026-03-15") if r["id"].startswith("0000a11c")]
    assert row["contact_email"] == _digest(PERSON["email"]) and row["extra_fields"] is None


def _rows_of(data_dir, day: str) -> list[dict]:
    return pq.read_table(data_dir / "contactship" / "calls" / f"{day}.parquet").to_pylist()
