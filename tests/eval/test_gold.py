"""The gold loader refuses invalid files and says which file, record and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import GoldFormatError
from summarizer.eval.gold import check_gold, load_gold_dir

from ..support.cases import TRIPS
from ..support.paths import ROOT

ARTICLE = (
    "id: x\npublished: 2018-09-26\n\nMike Pompeo will travel to North Korea next month. Kim pledged to close a site."
)
TRIP = TRIPS[0]  # evidence: "Mike Pompeo will travel to North Korea next month"


def write(tmp_path: Path, **changes: Any) -> Path:
    (tmp_path / "a.txt").write_text(ARTICLE)
    doc = {
        "format": "summarizer-gold/1",
        "id": "x",
        "article": "a.txt",
        "published": "2018-09-26",
        "summary": "s",
        "trips": [TRIP],
        "summits": [],
        "commitments": [],
        "skepticism": [],
    } | changes
    path = tmp_path / "gold" / "x.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(doc))
    return path


def test_the_committed_gold_set_loads() -> None:
    cases = load_gold_dir(ROOT / "evals" / "gold", ROOT)
    assert len(cases) == 33
    assert sum(c.gold.is_negative for c in cases) == 6


def test_a_valid_file_has_no_problems(tmp_path: Path) -> None:
    case, problems = check_gold(write(tmp_path), tmp_path)
    assert case is not None and problems == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"trips": [{**TRIP, "status": "maybe"}]}, "x.json: trips[0]: status: Input should be 'proposed'"),
        (
            {"trips": [{**TRIP, "evidence": ["Pompeo will fly to Pyongyang"]}]},
            "x.json: trips[0]: evidence: quote not found verbatim in a.txt: 'Pompeo will fly to Pyongyang'",
        ),
        (
            {"trips": [{**TRIP, "date": "October 2018"}]},
            "x.json: trips[0]: date: 'October 2018' is not YYYY, YYYY-MM, YYYY-MM-DD or START/END",
        ),
        ({"trips": [{k: v for k, v in TRIP.items() if k != "traveler"}]}, "x.json: trips[0]: traveler: Field required"),
        ({"summits": None}, "x.json: summits: Input should be a valid list"),
        ({"format": "other/1"}, "x.json: format: Input should be 'summarizer-gold/1'"),
        ({"id": "a b/c"}, "x.json: id: 'a b/c' is not file-name safe"),
    ],
)
def test_each_problem_names_file_record_and_field(tmp_path: Path, changes: dict[str, Any], expected: str) -> None:
    _, problems = check_gold(write(tmp_path, **changes), tmp_path)
    assert any(p.endswith(expected) or expected in p for p in problems), problems


def test_an_invalid_file_is_an_error_not_a_skip(tmp_path: Path) -> None:
    path = write(tmp_path, trips=[{**TRIP, "status": "maybe"}])
    with pytest.raises(GoldFormatError) as info:
        load_gold_dir(path.parent, tmp_path)
    assert "trips[0]: status" in str(info.value)
