"""docs/reliability.md names real tests: every ``tests/…::name`` in its tables is a test function that exists."""

from __future__ import annotations

import re

from .support.paths import ROOT

DOC = ROOT / "docs" / "reliability.md"


def referenced() -> list[tuple[str, str | None]]:
    refs = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells = line.strip("|").split(" | ")
            refs += [(m.group(1), m.group(2)) for m in re.finditer(r"`(tests/[\w/]+\.py)(?:::(\w+))?", cells[-1])]
    return refs


def test_every_row_names_a_test_that_exists() -> None:
    refs = referenced()
    assert len(refs) > 60
    missing = []
    for path, name in refs:
        source = ROOT / path
        if not source.is_file() or (name and not re.search(rf"^(async )?def {name}\(", source.read_text(), re.M)):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_every_table_row_has_a_test() -> None:
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith(("| input |", "| fault |", "| check |", "| target |")):
            assert "`tests/" in line.split(" | ")[-1], line
