"""The daily mixes equal a recomputation from the raw API pages."""

from collections import Counter
from datetime import date

import pandas as pd
import pytest

from contactship_pipeline_tests.conftest import raw_calls, read_day, run_days

DAY = "2026-03-15"


def _label(value):
    if value is None or not value.strip():
        return None
    return value.strip().lower()


@pytest.fixture(scope="module")
def materialized(simulator, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("aggregates")
    run_days(simulator.base_url, data_dir, [DAY])
    return data_dir


def test_sentiment_mix_equals_the_raw_pages(simulator, materialized):
    raw = raw_calls(simulator, DAY)
    expected = Counter(_label((call["call_analysis"] or {}).get("sentiment")) for call in raw)
    mix = read_day(materialized, "sentiment_daily", DAY)
    got = {
        (s if isinstance(s, str) else None): n
        for s, n in zip(mix["sentiment"], mix["calls"], strict=True)
    }
    assert got == dict(expected)
    assert mix["share"].tolist() == [n / len(raw) for n in mix["calls"]]
    assert mix["share"].sum() == pytest.approx(1.0)
    assert set(mix["day"]) == {date(2026, 3, 15)}


def test_disconnection_mix_and_mean_duration_equal_the_raw_pages(simulator, materialized):
    raw = raw_calls(simulator, DAY)
    by_reason: dict = {}
    for call in raw:
        by_reason.setdefault(_label(call["disconnection_reason"]), []).append(call["duration"])
    mix = read_day(materialized, "disconnections_daily", DAY)
    assert sorted(r if isinstance(r, str) else "~" for r in mix["disconnection_reason"]) == sorted(
        r or "~" for r in by_reason
    )
    for row in mix.itertuples():
        reason = row.disconnection_reason
        durations = by_reason[reason if isinstance(reason, str) else None]
        known = [d for d in durations if d is not None]
        assert row.calls == len(durations)
        assert row.share == len(durations) / len(raw)
        if known:
            assert row.mean_duration_s == pytest.approx(sum(known) / len(known))
        else:
            assert pd.isna(row.mean_duration_s)
    assert list(mix["calls"]) == sorted(mix["calls"], reverse=True)
