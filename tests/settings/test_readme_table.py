"""Every environment variable the settings read is in the README's configuration table, and nothing else is.

An operator configures the assistant from that table: a variable missing there is a setting nobody can find,
and a row for a variable the code no longer reads sends them after something that does nothing.
"""

from __future__ import annotations

import re

from settings import ROOT, Settings


def variables_read() -> set[str]:
    names: set[str] = set()
    for field in Settings.model_fields.values():
        names.update(str(choice) for choice in field.validation_alias.choices)
    return names


def variables_documented() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration") :]
    table = table[: table.index("\n## ")]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_every_setting_has_a_row_in_the_readme_table() -> None:
    missing = variables_read() - variables_documented()
    assert not missing, f"README's configuration table lacks {sorted(missing)}"


def test_the_readme_table_names_only_variables_something_reads() -> None:
    read_elsewhere = {"RASA_PYTHON", "PYTHON"}  # scripts/setup.sh reads these, before any Python runs
    stale = variables_documented() - variables_read() - read_elsewhere
    assert not stale, f"README documents {sorted(stale)}, which no setting reads"
