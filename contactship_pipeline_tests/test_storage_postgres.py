"""The example instance config (`deploy/dagster.yaml`) against a real PostgreSQL server: runs,
events and check results of a materialization land in its tables."""

import json
import shutil
from pathlib import Path

import pytest
from dagster import DagsterInstance

from contactship_pipeline_tests.conftest import run_days
from contactship_pipeline_tests.postgres_server import postgres_bin, postgres_server

psycopg2 = pytest.importorskip("psycopg2", reason="needs the postgres extra (dagster-postgres)")
pytest.importorskip("dagster_postgres", reason="needs the postgres extra (dagster-postgres)")
pytestmark = pytest.mark.skipif(
    postgres_bin() is None, reason="no PostgreSQL server here: apt-get install postgresql"
)

EXAMPLE = Path(__file__).parent.parent / "deploy" / "dagster.yaml"
DAY = "2026-03-15"


def test_a_materialization_is_recorded_in_postgres(simulator, tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(EXAMPLE, home / "dagster.yaml")
    with postgres_server() as server:
        for name, value in {
            "DAGSTER_PG_HOST": server.host,
            "DAGSTER_PG_PORT": str(server.port),
            "DAGSTER_PG_DB": server.database,
            "DAGSTER_PG_USERNAME": server.user,
            "DAGSTER_PG_PASSWORD": "unused-on-a-trust-cluster",
        }.items():
            monkeypatch.setenv(name, value)
        with DagsterInstance.from_config(str(home)) as instance:
            storages = (instance.run_storage, instance.event_log_storage, instance.schedule_storage)
            assert [type(s).__name__ for s in storages] == [
                "PostgresRunStorage",
                "PostgresEventLogStorage",
                "PostgresScheduleStorage",
            ]
            (result,) = run_days(
                simulator.base_url, tmp_path / "data", [DAY], instance=instance, checks=True
            )
        rows = _query(server, result.run_id)

    assert rows["runs"] == [(result.run_id, "SUCCESS")]
    assert rows["materializations"] == [
        (["contactship", "agent_daily"], DAY),
        (["contactship", "calls"], DAY),
        (["contactship", "disconnections_daily"], DAY),
        (["contactship", "sentiment_daily"], DAY),
    ]
    assert ("ids_unique", "SUCCEEDED") in rows["checks"]
    assert ("matches_the_api", "SUCCEEDED") in rows["checks"]


def _query(server, run_id: str) -> dict[str, list]:
    """Read what the instance stored, straight from PostgreSQL."""
    connection = psycopg2.connect(
        host=server.host, port=server.port, user=server.user, dbname=server.database
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT run_id, status FROM runs")
            runs = cursor.fetchall()
            cursor.execute(
                "SELECT asset_key, partition FROM event_logs "
                "WHERE run_id = %s AND dagster_event_type = 'ASSET_MATERIALIZATION' "
                "ORDER BY asset_key",
                (run_id,),
            )
            materializations = [(json.loads(key), part) for key, part in cursor.fetchall()]
            cursor.execute(
                "SELECT check_name, execution_status FROM asset_check_executions WHERE run_id = %s",
                (run_id,),
            )
            checks = cursor.fetchall()
    finally:
        connection.close()
    return {"runs": runs, "materializations": materializations, "checks": checks}
