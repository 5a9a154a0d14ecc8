"""Starting, stopping, defaults, latency and concurrency of the simulator itself."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import requests

from contactship_pipeline.simulator import Simulator
from contactship_pipeline_tests.test_simulator.conftest import get_calls, make_simulator


def test_a_bare_simulator_serves_seven_days_of_fifty_calls():
    sim = Simulator()
    with pytest.raises(RuntimeError, match="not running"):
        _ = sim.base_url
    sim.start()
    try:
        assert sim.base_url.startswith("http://127.0.0.1:")
        assert sim.api_key == "demo-key"
        assert (sim.end_date - sim.start_date).days == 6
        window = {"date_from": sim.start_date.isoformat(), "date_to": sim.end_date.isoformat()}
        response = requests.get(
            f"{sim.base_url}/v1/calls",
            params={**window, "limit": 0},
            headers={"x-api-key": "demo-key"},
            timeout=5,
        )
        assert response.json()["count"] in (350, 351)  # 351 when the range holds 2026-03-15
    finally:
        sim.stop()
    sim.stop()  # a second stop does nothing


@pytest.mark.parametrize(
    "arguments",
    [
        {"host": "0.0.0.0"},
        {"host": "192.168.1.10"},
        {"days": 3, "start_date": date(2026, 3, 1), "end_date": date(2026, 3, 2)},
        {"start_date": date(2026, 3, 1)},
        {"start_date": date(2026, 3, 2), "end_date": date(2026, 3, 1)},
        {"days": 0},
        {"max_page_size": 0},
    ],
)
def test_bad_settings_are_refused(arguments):
    with pytest.raises(ValueError):
        Simulator(**arguments)


def test_localhost_binds_the_loopback_address():
    with Simulator(host="localhost", days=1, calls_per_day=1) as sim:
        assert sim.base_url.startswith("http://127.0.0.1:")


def test_latency_delays_each_page():
    with make_simulator(latency_ms=150) as sim:
        started = time.monotonic()
        assert get_calls(sim).status_code == 200
        assert time.monotonic() - started >= 0.15


def test_pages_are_served_concurrently():
    # Eight handlers can only all pass the barrier if they are inside the server at once.
    barrier = threading.Barrier(8, timeout=30)
    arrivals = []
    with make_simulator() as sim, ThreadPoolExecutor(max_workers=8) as pool:
        sim.on_request(lambda index, params: arrivals.append(barrier.wait()))
        offsets = [offset * 10 for offset in range(8)]
        answers = list(pool.map(lambda offset: get_calls(sim, {"offset": offset}), offsets))
    assert all(answer.status_code == 200 for answer in answers)
    assert sorted(arrivals) == list(range(8))


def test_stop_closes_kept_alive_connections():
    session = requests.Session()
    with make_simulator() as sim:
        url = f"{sim.base_url}/v1/calls"
        assert session.get(url, headers={"x-api-key": sim.api_key}, timeout=5).status_code == 200
    with pytest.raises(requests.ConnectionError):
        session.get(url, headers={"x-api-key": sim.api_key}, timeout=5)
    session.close()
