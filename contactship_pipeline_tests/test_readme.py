"""The README's schema table is the published schema, column for column."""

import re
from pathlib import Path

from contactship_pipeline.schema import CALLS_SCHEMA

README = Path(__file__).parent.parent / "README.md"


def test_the_readme_calls_table_matches_the_schema():
    text = README.read_text()
    section = text.split("## The calls table", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| (yes|no) \|", section, flags=re.M)
    published = [(f.name, str(f.type), "yes" if f.nullable else "no") for f in CALLS_SCHEMA]
    assert [(name, dtype.strip(), nullable) for name, dtype, nullable in rows] == published
