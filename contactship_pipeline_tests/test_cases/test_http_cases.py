"""Field cases about the API's answers: rate limits, error bodies, envelope drift, drift."""

import time
from collections import Counter
from email.utils import formatdate

import pytest
from dagster import DagsterInstance

from contactship_pipeline.api import (
    ContactshipRateLimitedError,
    ContactshipResponseError,
)
from contactship_pipeline_tests.conftest import day_ids, run_days
from contactship_pipeline_tests.scripted_api import (
    ScriptedApi,
    case_records,
    load_case,
    middle_day,
    serve_records,
)


def _calls_day(api: ScriptedApi, data_dir, **settings):
    """`contactship/calls` for 2026-03-15 against a scripted API."""
    return run_days(
        api.base_url,
        data_dir,
        ["2026-03-15"],
        api_key=api.api_key,
        selection="contactship/calls",
        **settings,
    )


def _routed(case: dict, empty_page):
    """Answer by (partition, offset, attempt of that pair), as the case's server_model says."""
    routes: dict[tuple[str, int], list[dict]] = {}
    for page in case["api_pages"]:
        route = page["serve_for"]
        routes.setdefault((route["date_from"], route["offset"]), []).append(page)
    attempts = Counter()

    def respond(params):
        key = (middle_day(params), int(params["offset"]))
        attempts[key] += 1
        pages = routes.get(key)
        if not pages:
            return 200, {}, empty_page(key[0])
        page = pages[min(attempts[key], len(pages)) - 1]
        return page["status"], {}, page["body"]

    return respond


def test_error_bodies_with_status_200_are_retried_never_empty_pages(tmp_path):
    case = load_case("19_http_200_error_body.json")
    counts = {"2026-03-14": 1, "2026-03-15": 4}
    respond = _routed(case, lambda day: {"data": [], "count": counts[day]})
    with ScriptedApi(respond) as api:
        days = list(case["expected"]["ids_by_partition"])
        run_days(
            api.base_url,
            tmp_path,
            days,
            api_key=api.api_key,
            page_size=2,
            max_attempts=3,
            backoff_factor_s=0.1,
            retry_after_min_s=0,
        )
    for day, ids in case["expected"]["ids_by_partition"].items():
        assert day_ids(tmp_path, day) == ids


def test_a_lasting_error_body_fails_the_day_naming_offset_and_message(tmp_path):
    error = {"error": "Query timed out, please retry", "code": "QUERY_TIMEOUT"}
    with ScriptedApi(lambda params: (200, {}, error)) as api:
        with pytest.raises(ContactshipResponseError) as raised:
            _calls_day(api, tmp_path, max_attempts=3, backoff_factor_s=0.01)
    message = str(raised.value)
    assert "partition 2026-03-15" in message
    assert "offset 0" in message
    assert "Query timed out, please retry" in message
    assert len(api.requests) == 3
    assert not (tmp_path / "contactship").exists()


def test_envelope_drift_null_data_string_count_missing_count(tmp_path):
    case = load_case("20_envelope_data_null_count_string.json")
    styles = {
        "2026-03-14": {"data": None, "count": 0},
        "2026-03-15": {"data": [], "count": "3"},
        "2026-03-16": {"data": []},
    }
    respond = _routed(case, lambda day: styles[day])
    instance = DagsterInstance.ephemeral()
    with ScriptedApi(respond) as api:
        days = list(case["expected"]["ids_by_partition"])
        results = run_days(
            api.base_url,
            tmp_path,
            days,
            api_key=api.api_key,
            page_size=2,
            instance=instance,
            selection="contactship/calls",
        )
    for day, ids in case["expected"]["ids_by_partition"].items():
        assert day_ids(tmp_path, day) == ids
    missing = [r.asset_materializations_for_node("contactship__calls")[0].metadata for r in results]
    assert [m["count_missing"].value for m in missing] == [False, False, True]


@pytest.mark.parametrize(
    ("count", "words"),
    [("3.5", "'count'"), ("abc", "'count'"), (-1, "'count'"), (True, "'count' is a boolean")],
)
def test_a_count_that_is_not_an_integer_is_an_error_naming_the_field(tmp_path, count, words):
    with ScriptedApi(lambda params: (200, {}, {"data": [], "count": count})) as api:
        with pytest.raises(ContactshipResponseError, match=words):
            _calls_day(api, tmp_path, max_attempts=1)
    assert not (tmp_path / "contactship").exists()


def test_null_data_with_a_positive_count_is_an_error(tmp_path):
    with ScriptedApi(lambda params: (200, {}, {"data": None, "count": 2})) as api:
        with pytest.raises(ContactshipResponseError, match="'data' is null but 'count' is 2"):
            _calls_day(api, tmp_path, max_attempts=1)


def test_retry_after_zero_seconds_huge_and_http_date_all_waited_within_a_cap(tmp_path):
    case = load_case("14_http_429_retry_after.json")
    records = case_records(case)
    answers = iter(["0", "2", "86400", "date"])

    def respond(params):
        value = next(answers, None)
        if value is None:
            return serve_records(records, params)
        header = formatdate(time.time() + 2, usegmt=True) if value == "date" else value
        return 429, {"Retry-After": header}, {"message": "Too Many Requests"}

    config = case["request_context"]["pipeline_config_for_test"]
    started = time.monotonic()
    with ScriptedApi(respond) as api:
        _calls_day(
            api,
            tmp_path,
            retry_after_max_s=config["max_retry_after_s"],
            max_attempts=config["max_attempts"],
            request_deadline_s=config["total_deadline_s"],
            retry_after_min_s=0,
        )
    elapsed = time.monotonic() - started
    assert day_ids(tmp_path, "2026-03-15") == case["expected"]["ids_in_partition"]
    # Four 429s and the page, then the closing count request.
    assert len(api.requests) == case["expected"]["attempts"] + 1
    assert elapsed < case["expected"]["total_elapsed_s_max"]


def test_rate_limited_past_the_budget_fails_naming_429_and_retry_after(tmp_path):
    answer = (429, {"Retry-After": "1"}, {"message": "Too Many Requests"})
    with ScriptedApi(lambda params: answer) as api:
        with pytest.raises(ContactshipRateLimitedError, match=r"429, Retry-After '1'"):
            _calls_day(api, tmp_path, max_attempts=2, retry_after_max_s=0.1, retry_after_min_s=0)
    assert len(api.requests) == 2
    assert not (tmp_path / "contactship").exists()


def test_calls_created_while_paging_are_all_kept_once(tmp_path):
    case = load_case("13_offset_pagination_drift_desc.json")
    model = case["request_context"]["server_model"]
    records = {
        r["id"]: r for r in case_records(case) + case["api_pages_correct_order_asc"][0]["data"]
    }
    for page in case["api_pages_correct_order_asc"]:
        records.update({r["id"]: r for r in page["data"]})
    initial = [records[i] for i in model["initial_ids_created_at"]]
    inserted = [records[i] for i in model["inserted"]]
    served = []

    def respond(params):
        answer = serve_records(initial + (inserted if served else []), params)
        served.append(params)
        return answer

    with ScriptedApi(respond) as api:
        _calls_day(api, tmp_path, page_size=3)
    assert day_ids(tmp_path, "2026-03-15") == case["expected"]["ids_in_partition"]
    assert {p["order"] for p in api.requests} == {"asc"}
