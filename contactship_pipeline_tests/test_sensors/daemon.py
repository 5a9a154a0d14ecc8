"""`dagster-daemon run` for a test: its own process group, a hard time limit, always stopped."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Seconds the daemon gets to stop on SIGTERM before its whole process group is killed.
STOP_GRACE_S = 10


def write_dagster_home(home: Path) -> Path:
    """A fresh DAGSTER_HOME: default SQLite storage, telemetry off, runs dequeued every second."""
    home.mkdir(parents=True, exist_ok=True)
    config = {
        "telemetry": {"enabled": False},
        "run_coordinator": {
            "module": "dagster._core.run_coordinator",
            "class": "QueuedRunCoordinator",
            "config": {"dequeue_interval_seconds": 1},
        },
    }
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    return home


def write_workspace(folder: Path) -> Path:
    """A workspace file loading the sensor tests' code location (see `location.py`)."""
    workspace = folder / "workspace.yaml"
    location = {
        "python_module": {
            "module_name": "contactship_pipeline_tests.test_sensors.location",
            "attribute": "sensor_test_location",
            "working_directory": str(PROJECT_ROOT),
        }
    }
    workspace.write_text(yaml.safe_dump({"load_from": [location]}))
    return workspace


def dagster_command(name: str) -> str:
    """The `dagster` or `dagster-daemon` script of the running interpreter's environment."""
    script = Path(sys.executable).with_name(name)
    return str(script) if script.exists() else shutil.which(name) or name


@contextlib.contextmanager
def dagster_daemon(
    workspace: Path, env: dict[str, str], log: Path, limit_s: float
) -> Iterator[subprocess.Popen]:
    """Run `dagster-daemon run` until the block ends, and never longer than `limit_s`.

    `timeout` ends the daemon on its own if this process dies first; on leaving the block
    the group gets SIGTERM, then SIGKILL after `STOP_GRACE_S`.
    """
    command = ["timeout", "-k", str(STOP_GRACE_S), str(int(limit_s))]
    command += [dagster_command("dagster-daemon"), "run", "-w", str(workspace)]
    with log.open("w") as output:
        daemon = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield daemon
        finally:
            stop_group(daemon)


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the process group, SIGKILL to what is left after the grace period."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_GRACE_S)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=STOP_GRACE_S)
