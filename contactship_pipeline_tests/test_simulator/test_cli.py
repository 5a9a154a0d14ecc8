"""`python -m contactship_pipeline.simulator`: starts, says where, answers, stops on SIGTERM."""

import queue
import re
import subprocess
import sys
import threading

import requests

LISTENING = re.compile(r"^Contactship simulator listening on (http://127\.0\.0\.1:\d+)$")


def _first_line(process: subprocess.Popen, timeout: float) -> str:
    """The first stdout line, or an AssertionError if none comes in time."""
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout).strip()
    except queue.Empty:
        raise AssertionError("the simulator printed nothing") from None


def test_cli_serves_until_sigterm():
    command = [sys.executable, "-m", "contactship_pipeline.simulator", "--port", "0"]
    command += ["--seed", "7", "--days", "2", "--calls-per-day", "5", "--api-key", "cli-key"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        match = LISTENING.match(_first_line(process, timeout=15))
        assert match, "the first line names the URL"
        response = requests.get(
            f"{match.group(1)}/v1/calls",
            params={"limit": 0},
            headers={"x-api-key": "cli-key"},
            timeout=5,
        )
        # Two days of five calls, and the vendor's example call that every store holds.
        assert response.json() == {"data": [], "count": 11}
        process.terminate()
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_cli_refuses_a_non_loopback_host():
    command = [sys.executable, "-m", "contactship_pipeline.simulator", "--host", "0.0.0.0"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "loopback" in result.stderr
