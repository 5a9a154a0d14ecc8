"""The README's schema table is the published schema, column for column."""

import re
from pathlib import Path

from contactship_pipeline.schema import CALLS_SCHEMA, TABLE_SCHEMAS

README = Path(__file__).parent.parent / "README.md"
DISCONNECTIONS = "contactship/disconnections_daily"


def test_the_readme_calls_table_matches_the_schema():
    text = README.read_text()
    section = text.split("## The calls table", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| (yes|no) \|", section, flags=re.M)
    published = [(f.name, str(f.type), "yes" if f.nullable else "no") for f in CALLS_SCHEMA]
    assert [(name, dtype.strip(), nullable) for name, dtype, nullable in rows] == published


def _table_after(text: str, heading: str) -> list[tuple[str, str, str]]:
    """The `| column | type | nullable |` rows of the first table after `heading`."""
    after = text.split(heading, 1)[1].split("\n\n|", 1)[1]
    table = "|" + after.split("\n\n", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| (yes|no) \|", table, flags=re.M)
    return [(name, dtype.strip(), nullable) for name, dtype, nullable in rows]


def test_the_readme_transcript_and_agent_tables_match_their_schemas():
    text = README.read_text()
    for key, schema in TABLE_SCHEMAS.items():
        if key in ("contactship/calls", "contactship/sentiment_daily", DISCONNECTIONS):
            continue  # the calls table has its own test; the two mixes are described in prose
        published = [(f.name, str(f.type), "yes" if f.nullable else "no") for f in schema]
        assert _table_after(text, f"**`{key}`**") == published, key
