"""The same pipeline with its tables on S3: a local S3-compatible server (moto) on 127.0.0.1."""

import logging
import uuid
from datetime import date

import pyarrow.parquet as pq
import pytest

from contactship_pipeline.io_manager import StorageLocationError
from contactship_pipeline.schema import CALLS_SCHEMA
from contactship_pipeline_tests.conftest import run_days

moto_server = pytest.importorskip("moto.server", reason="needs the integration extra (moto)")
s3fs = pytest.importorskip("s3fs", reason="needs the s3 extra (s3fs)")

DAYS = ["2026-03-14", "2026-03-15"]
TABLES = ("calls", "sentiment_daily", "disconnections_daily", "agent_daily")


@pytest.fixture()
def s3(monkeypatch):
    """A moto server of our own with an empty bucket, found by botocore through the environment.

    Yields the filesystem and the bucket: moto keeps buckets per process, so each test has its own.
    """
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    for name, value in {
        "AWS_ENDPOINT_URL_S3": f"http://{host}:{port}",
        "AWS_ACCESS_KEY_ID": "test-access-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret-key",
        "AWS_DEFAULT_REGION": "us-east-1",
        # Never look for credentials or settings anywhere but the variables above.
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }.items():
        monkeypatch.setenv(name, value)
    s3fs.S3FileSystem.clear_instance_cache()
    fs = s3fs.S3FileSystem()
    bucket = f"contactship-{uuid.uuid4().hex[:12]}"
    fs.mkdir(bucket)
    try:
        yield fs, bucket
    finally:
        s3fs.S3FileSystem.clear_instance_cache()
        server.stop()


def test_days_land_on_s3_and_read_back_exactly(simulator, s3):
    s3, bucket = s3
    results = run_days(simulator.base_url, f"s3://{bucket}/warehouse", DAYS, checks=True)

    keys = sorted(s3.find(bucket))
    assert keys == sorted(
        f"{bucket}/warehouse/contactship/{table}/{day}.parquet" for table in TABLES for day in DAYS
    )
    for day in DAYS:
        with s3.open(f"{bucket}/warehouse/contactship/calls/{day}.parquet", "rb") as file:
            table = pq.read_table(file)
        expected = [call["id"] for call in simulator.calls_for_day(date.fromisoformat(day))]
        assert table["id"].to_pylist() == expected
        assert table.schema.remove_metadata() == CALLS_SCHEMA
    # The aggregates read their input back from S3, and every check passed on what is stored.
    for result in results:
        daily = [
            e for e in result.get_asset_check_evaluations() if e.check_name != "freshness_check"
        ]
        assert len(daily) == 6 and all(e.passed for e in daily)
    materialization = results[0].asset_materializations_for_node("contactship__calls")[0]
    assert materialization.metadata["path"].value == (
        f"s3://{bucket}/warehouse/contactship/calls/{DAYS[0]}.parquet"
    )


def test_a_missing_bucket_fails_clearly_and_is_not_created(simulator, s3):
    s3, bucket = s3
    with pytest.raises(StorageLocationError, match="CONTACTSHIP_DATA_DIR") as raised:
        run_days(
            simulator.base_url,
            "s3://no-such-bucket/warehouse",
            DAYS[:1],
            selection="contactship/calls",
        )
    assert "s3://no-such-bucket/warehouse/contactship/calls/2026-03-14.parquet" in str(raised.value)
    assert "bucket does not exist" in str(raised.value)
    assert not s3.exists("no-such-bucket")
    assert s3.find(bucket) == []
