"""`dagster dev` for a test: a temporary instance, a free loopback port, stopped for sure."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 10
# Loopback only: never through a proxy named in the environment.
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def dagster_dev(home: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """Run `dagster dev -w workspace.yaml` on 127.0.0.1 with `DAGSTER_HOME=home`; yield its URL.

    It runs in its own process group: SIGTERM to the group stops the webserver, the daemon and
    the code server together, and SIGKILL follows for anything still there after a few seconds.
    """
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    port = free_port()
    dagster = Path(sys.executable).with_name("dagster")
    command = [dagster, "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)]
    environment = {**os.environ, **env, "DAGSTER_HOME": str(home)}
    with log.open("wb") as output, _sigint_not_ignored():
        server = subprocess.Popen(
            command,
            cwd=REPO,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_serving(url, server, log)
        yield url
    finally:
        _stop_group(server)


@contextmanager
def _sigint_not_ignored():
    """`dagster dev` stops on SIGTERM only if SIGINT is not ignored, and an ignored signal is
    inherited (a shell's `&` ignores it): start it with the default handler."""
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def _wait_until_serving(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            with LOOPBACK.open(f"{url}/server_info", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"dagster dev did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)


def _stop_group(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=STOP_TIMEOUT_S)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    with suppress(ProcessLookupError):  # the whole group may already be gone
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def graphql(url: str, query: str, variables: dict | None = None) -> dict:
    """Ask the webserver's GraphQL API, as the UI does."""
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        f"{url}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with LOOPBACK.open(request, timeout=30) as response:
        answer = json.load(response)
    if answer.get("errors"):
        raise RuntimeError(f"GraphQL errors: {answer['errors']}")
    return answer["data"]
