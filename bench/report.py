"""Tables of a bench run: printed, written to bench/RESULTS.md, and shown in the README."""

import json
import re
from pathlib import Path

from bench.processes import ROOT

RESULTS_JSON = ROOT / "bench" / "results.json"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
README = ROOT / "README.md"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"
HEADER = (
    "| run | calls/s | seconds | x dlt | x ceiling | peak RSS MiB | rows written | simulator CPU |"
    "\n| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
)


def rate(result: dict, key: str = "seconds") -> float:
    """Calls per second of a step (rows over the timed seconds)."""
    return result["rows"] / result[key]


def row(label: str, result: dict, expected: int, dlt: dict | None, ceilings: list[dict]) -> str:
    """One table line; ratios are this step's calls/s over dlt's and over each ceiling's."""
    per_second = rate(result)
    versus_dlt = f"{per_second / rate(dlt):.1f}x" if dlt else ""
    versus_ceiling = " / ".join(f"{per_second / rate(ceiling):.2f}x" for ceiling in ceilings)
    rows = f"{result['rows']:,}" + (" ✓" if result["rows"] == expected else f" ✗ of {expected:,}")
    busy = result.get("fetch_seconds") or result["seconds"]
    sim_share = f"{100 * result.get('sim_cpu_s', 0) / busy:.0f}%"
    return (
        f"| {label} | {per_second:,.0f} | {result['seconds']:.2f} | {versus_dlt} | "
        f"{versus_ceiling} | {result['peak_rss_mb']:,.0f} | {rows} | {sim_share} |"
    )


def stage_row(label: str, result: dict, naive: dict) -> str:
    """One line of the flatten-stage table: raw pages in memory to one Parquet file."""
    per_second = rate(result, "stage_seconds")
    versus = per_second / rate(naive, "stage_seconds")
    return f"| {label} | {per_second:,.0f} | {result['stage_seconds']:.2f} | {versus:.1f}x |"


def save(kind: str, run: dict) -> dict:
    """Keep this run's results beside the other kind's, and return them all."""
    stored = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    stored[kind] = run
    RESULTS_JSON.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
    return stored


def write_files(markdown: str, summary: str) -> None:
    """RESULTS.md in full; the README's bench section between its markers."""
    RESULTS_MD.write_text(markdown)
    readme = README.read_text()
    section = f"{README_START}\n{summary}\n{README_END}"
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.DOTALL)
    if pattern.search(readme):
        README.write_text(pattern.sub(lambda _: section, readme))


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))
