"""`make demo`'s program: the simulator, the daily job through Dagster, the summary."""

from datetime import UTC, datetime, timedelta

import pyarrow.parquet as pq

from contactship_pipeline import demo


def test_the_demo_loads_the_last_complete_days_and_summarises_them(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CONTACTSHIP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CONTACTSHIP_API_KEY", "replaced-by-the-demo")
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("CONTACTSHIP_PERSONAL_DATA", "drop")

    assert demo.main(["--days", "2", "--calls-per-day", "20"]) == 0

    today = datetime.now(UTC).date()
    days = [(today - timedelta(days=n)).isoformat() for n in (2, 1)]
    folder = tmp_path / "contactship"
    for table in ("calls", "sentiment_daily", "disconnections_daily", "agent_daily"):
        assert sorted(p.name for p in (folder / table).iterdir()) == [f"{d}.parquet" for d in days]
    calls = [pq.read_table(folder / "calls" / f"{day}.parquet") for day in days]
    assert [table.num_rows for table in calls] == [20, 20]
    # The environment's settings reach the demo: personal fields dropped.
    assert all(table["contact_email"].null_count == 20 for table in calls)
    printed = capsys.readouterr().out
    for day in days:
        assert f"{day}     20  " in printed
    assert f"Parquet files under {tmp_path}/contactship/" in printed
