"""A bench run as Markdown: its tables, and the targets it was held to."""

from bench.report import HEADER, rate, row, stage_row

LOOPBACK_STEPS = ("ceiling_stdlib", "ceiling", "project", "dlt", "naive", "flatten", "dlt_clamped")
LATENCY_STEPS = ("ceiling_stdlib", "ceiling", "project", "dlt")
NOTES = """\
- The clamp: the simulator, like an API with an undocumented largest page, serves at most 100
  calls whatever `limit` asks. dlt's offset paginator moves the offset by the `limit` it asked
  for, so asked for 1000 it skips 900 calls of every 1000 and writes a tenth of the day without
  an error (the clamped row). This project moves the offset by the calls received and checks
  the total against `count`, so the same setting costs it nothing but the page size.
- Two ceilings: the standard library's `json.loads` and `orjson`, the fastest decoder to Python
  objects available here. Both fetch with urllib3 and the same concurrency as this project.
- Every step runs after a warm-up in its own process (an empty day for the project and dlt; the
  flatten stages run twice), so imports and first-use costs are left out alike.
- Peak RSS is each step's own process, Python and its libraries included."""
SCALE_STEPS = ("ceiling_stdlib", "ceiling", "project", "dlt", "naive", "flatten")

LOOPBACK_ROWS = (
    ("ceiling_stdlib", "ceiling: fetch + `json.loads`, nothing else"),
    ("ceiling", "ceiling: fetch + `orjson.loads`, nothing else"),
    ("project", "**this project**: calls asset through Dagster → Parquet"),
    ("dlt", "dlt `rest_api`, offset paginator → Parquet"),
    ("naive", "naive: `json.loads` + `json_normalize` + `to_parquet`"),
    ("dlt_clamped", "dlt, `limit` 10x the server's largest page (clamped)"),
)
LATENCY_ROWS = LOOPBACK_ROWS[:4]


def render_run(run: dict) -> str:
    """One run: settings, the end-to-end tables, the flatten stage, the backfill."""
    calls = run["calls"]
    lines = [
        f"Command: `{run['command']}` ({run['date']}; {run['machine']}).",
        "",
        f"One day of {calls:,} calls; pages of {run['page_size']} (the simulator's largest, "
        f"so `limit` {run['page_size']} for everyone); each step's best of {run['repeat']} "
        "runs, "
        "each in its own process. Ratios are calls/s over dlt's and over the ceiling's "
        "(`json.loads` / `orjson`) from the same run.",
        "",
    ]
    for key, title, concurrency in (
        ("loopback", "Loopback, no added latency", run["concurrency"]),
        ("latency", f"{run['latency_ms']} ms per page", run["latency_concurrency"]),
    ):
        steps = run.get(key)
        if not steps:
            continue
        lines += [f"**{title}** (this project and the ceiling: {concurrency} pages at a time)", ""]
        lines += [
            HEADER,
            *_rows(steps, LOOPBACK_ROWS if key == "loopback" else LATENCY_ROWS, calls),
        ]
        lines.append("")
    loopback = run.get("loopback", {})
    if "flatten" in loopback and "naive" in loopback:
        lines += [
            "**Flatten stage** on the same raw pages in memory, to one Parquet file "
            "(the second of two runs in one process):",
            "",
            "| stage | calls/s | seconds | x naive |",
            "| --- | ---: | ---: | ---: |",
            stage_row(
                "this project: Arrow JSON reader, runs of pages",
                loopback["flatten"],
                loopback["naive"],
            ),
            stage_row(
                "naive: `json.loads` + `json_normalize` + `to_parquet`",
                loopback["naive"],
                loopback["naive"],
            ),
            "",
        ]
    if run.get("small"):
        lines += _cost_per_call(run)
    if run.get("backfill"):
        lines += _backfill(run["backfill"])
    return "\n".join(lines)


def _cost_per_call(run: dict) -> list[str]:
    lines = [
        "**Cost per call** against a day of 100,000 calls measured in the same run (best of 2):",
        "",
        "| run | µs per call at 100,000 | µs per call at " + f"{run['calls']:,} | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    for key, label in (("ceiling", "ceiling (orjson)"), ("project", "this project")):
        small = 1e6 * run["small"][key]["seconds"] / run["small"][key]["rows"]
        large = 1e6 * run["loopback"][key]["seconds"] / run["loopback"][key]["rows"]
        lines.append(f"| {label} | {small:.1f} | {large:.1f} | {large / small:.2f}x |")
    return [*lines, ""]


def _rows(steps: dict, labels, calls: int) -> list[str]:
    dlt = steps.get("dlt")
    ceilings = [steps[key] for key in ("ceiling_stdlib", "ceiling") if key in steps]
    lines = []
    for key, label in labels:
        if key in steps:
            is_ceiling = key.startswith("ceiling")
            versus_dlt = dlt if key != "dlt" else None
            lines.append(row(label, steps[key], calls, versus_dlt, [] if is_ceiling else ceilings))
    return lines


def _backfill(backfill: dict) -> list[str]:
    one, two = backfill["one"], backfill["two"]
    return [
        "**Backfill**: the daily job (every daily table and its checks) over "
        f"{backfill['days']} days of {backfill['calls_per_day']:,} calls, "
        f"{backfill['latency_ms']} ms per page, resource defaults:",
        "",
        "| runs at a time | seconds | speed-up |",
        "| ---: | ---: | ---: |",
        f"| 1 | {one:.1f} | 1.00x |",
        f"| 2 | {two:.1f} | {one / two:.2f}x |",
        "",
    ]


def targets(stored: dict) -> list[str]:
    """Each target with the measured value that decides it."""
    lines = ["| target | measured | met |", "| --- | --- | :---: |"]
    default, scale = stored.get("default"), stored.get("scale")

    def check(name: str, value: float, goal: float, unit: str = "x", below: bool = False) -> None:
        met = value <= goal if below else value >= goal
        sign = "≤" if below else "≥"
        lines.append(
            f"| {name} {sign} {goal}{unit} | {value:.2f}{unit} | {'yes' if met else 'no'} |"
        )

    if default and default.get("loopback"):
        steps = default["loopback"]
        check("loopback: project vs dlt", rate(steps["project"]) / rate(steps["dlt"]), 6)
        for key, name in (("ceiling_stdlib", "json.loads"), ("ceiling", "orjson")):
            value = rate(steps["project"]) / rate(steps[key])
            check(f"loopback: project vs ceiling ({name})", value, 0.6)
        stage = rate(steps["flatten"], "stage_seconds") / rate(steps["naive"], "stage_seconds")
        check("flatten stage vs naive", stage, 5)
    if default and default.get("latency"):
        steps = default["latency"]
        check("20 ms per page: project vs dlt", rate(steps["project"]) / rate(steps["dlt"]), 10)
    if default and default.get("backfill"):
        check(
            "30-day backfill, 2 at a time",
            default["backfill"]["one"] / default["backfill"]["two"],
            1.6,
        )
    if scale and scale.get("loopback"):
        project = scale["loopback"]["project"]
        check("1,000,000 calls: peak RSS", project["peak_rss_mb"], 1024, " MiB", below=True)
        if scale.get("small"):
            small = scale["small"]["project"]
            cost = (project["seconds"] / project["rows"]) / (small["seconds"] / small["rows"])
            check("cost per call, 1,000,000 vs 100,000", cost, 1.3, below=True)
    return lines


def results_markdown(stored: dict) -> str:
    """bench/RESULTS.md: the latest default and scale runs, then the targets."""
    parts = [
        "# Benchmark results",
        "",
        "Written by `make bench` (see bench/README.md for what each run measures); the numbers "
        "are kept in bench/results.json. Absolute times on a shared two-core machine are noise; "
        "the ratios come from one run, each step taking turns with the others.",
        "",
    ]
    if stored.get("default"):
        parts += ["## Default run", "", render_run(stored["default"]), ""]
    if stored.get("scale"):
        parts += ["## Scale run", "", render_run(stored["scale"]), ""]
    parts += ["## Targets", "", *targets(stored), "", "## Notes", "", NOTES, ""]
    return "\n".join(parts)


def readme_section(stored: dict) -> str:
    """The README's copy: the default run's tables and the targets."""
    parts = []
    if stored.get("default"):
        parts += [render_run(stored["default"]), ""]
    parts += [*targets(stored), "", "Scale run and details: [bench/RESULTS.md](bench/RESULTS.md)."]
    return "\n".join(parts)
