"""A private PostgreSQL server for one test: a new cluster in a temporary folder, listening on
127.0.0.1 only, stopped and removed when the `with` block ends."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT_S = 60


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    database: str


def postgres_bin() -> Path | None:
    """Debian's server binaries (`apt-get install postgresql`), newest version first."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parent)
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server(database: str = "dagster") -> Iterator[PostgresServer]:
    """Start a cluster owned by the current user, or by `postgres` when run as root (the server
    refuses to run as root), with trust authentication on loopback."""
    import psycopg2

    bindir = postgres_bin()
    if bindir is None:
        raise FileNotFoundError("no PostgreSQL server: apt-get install postgresql")
    root = Path(tempfile.mkdtemp(prefix="contactship-pg-"))
    owner = "postgres" if os.geteuid() == 0 else None
    if owner:
        shutil.chown(root, owner)
    data, log = root / "data", root / "server.log"
    run_as = {"user": owner} if owner else {}
    server = None
    try:
        initdb = [bindir / "initdb", "-D", data, "-U", "dagster", "-A", "trust", "--no-sync"]
        subprocess.run(initdb, check=True, capture_output=True, **run_as)
        port = _free_port()
        options = ["-h", "127.0.0.1", "-p", str(port), "-k", root, "-c", "fsync=off"]
        with log.open("wb") as output:
            server = subprocess.Popen(
                [bindir / "postgres", "-D", data, *options],
                stdout=output,
                stderr=subprocess.STDOUT,
                **run_as,
            )
        info = PostgresServer("127.0.0.1", port, "dagster", database)
        connection = _connect_when_ready(psycopg2, info, server, log)
        connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database}"')
        connection.close()
        yield info
    finally:
        if server is not None:
            _stop(server)
        shutil.rmtree(root, ignore_errors=True)


def _connect_when_ready(psycopg2, info: PostgresServer, server: subprocess.Popen, log: Path):
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            return psycopg2.connect(
                host=info.host, port=info.port, user=info.user, dbname="postgres", connect_timeout=2
            )
        except psycopg2.OperationalError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start: {log.read_text()[-2000:]}") from None
            time.sleep(0.1)


def _stop(server: subprocess.Popen) -> None:
    """SIGINT is PostgreSQL's fast shutdown: sessions end, the server exits at once."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
