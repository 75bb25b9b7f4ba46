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


# Record ids and links (a trip's ``prepares``, a commitment's ``made_at``, a doubt's ``doubts``).
COMMITMENT = {"actor": "Kim", "action": "close a site", "evidence": ["Kim pledged to close a site"]}
SUMMIT = {"participants": ["Mike Pompeo", "Kim"], "status": "planned", "evidence": ["Kim pledged to close a site"]}
DOUBT = {"holder": "Mike Pompeo", "target": "the site", "evidence": ["Kim pledged to close a site"]}


def test_ids_and_links_to_records_of_the_right_category_are_valid(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        trips=[{**TRIP, "id": "T1", "prepares": "S1"}],
        summits=[{**SUMMIT, "id": "S1"}],
        commitments=[{**COMMITMENT, "id": "C1", "made_at": "S1"}],
        skepticism=[{**DOUBT, "id": "K1", "doubts": "T1"}, {**DOUBT, "id": "K2", "doubts": "C1"}],
    )
    case, problems = check_gold(path, tmp_path)
    assert problems == [] and case is not None
    assert case.gold.trips[0].prepares == "S1" and case.gold.skepticism[1].doubts == "C1"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"trips": [{**TRIP, "id": "A"}], "commitments": [{**COMMITMENT, "id": "A"}]},
            "x.json: commitments[0]: id: 'A' already used in trips",
        ),
        (
            {"trips": [{**TRIP, "id": "T1"}, {**TRIP, "id": "T1"}]},
            "x.json: trips[1]: id: 'T1' already used in trips",
        ),
        (
            {"trips": [{**TRIP, "prepares": "S9"}], "summits": [{**SUMMIT, "id": "S1"}]},
            "x.json: trips[0]: prepares: 'S9' is no record's id; it must be the id of a record of summits",
        ),
        (
            {"trips": [{**TRIP, "prepares": "C1"}], "commitments": [{**COMMITMENT, "id": "C1"}]},
            "x.json: trips[0]: prepares: 'C1' is a record of commitments; it must be the id of a record of summits",
        ),
        (
            {"trips": [{**TRIP, "id": "T1"}], "commitments": [{**COMMITMENT, "made_at": "T1"}]},
            "x.json: commitments[0]: made_at: 'T1' is a record of trips; it must be the id of a record of summits",
        ),
        (
            {"skepticism": [{**DOUBT, "id": "K1", "doubts": "K1"}]},
            "x.json: skepticism[0]: doubts: 'K1' is a record of skepticism; it must be the id of a record of "
            "commitments or summits or trips",
        ),
        (
            {"trips": [{**TRIP, "id": "T 1"}]},
            "x.json: trips[0]: id: String should match pattern",
        ),
    ],
)
def test_each_id_or_link_problem_names_the_record_and_the_field(
    tmp_path: Path, changes: dict[str, Any], expected: str
) -> None:
    _, problems = check_gold(write(tmp_path, **changes), tmp_path)
    assert len(problems) == 1 and problems[0].startswith(str(tmp_path / "gold" / "x.json")), problems
    assert expected in problems[0], problems


def test_a_link_problem_makes_the_gold_set_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, trips=[{**TRIP, "prepares": "S1"}])
    with pytest.raises(GoldFormatError) as info:
        load_gold_dir(path.parent, tmp_path)
    assert info.value.problems == [
        f"{path}: trips[0]: prepares: 'S1' is no record's id; it must be the id of a record of summits"
    ]


def test_the_committed_gold_links_name_records_of_the_allowed_categories() -> None:
    from summarizer.categories import REGISTRY

    cases = load_gold_dir(ROOT / "evals" / "gold", ROOT)
    links = 0
    for case in cases:
        owner = {r.id: cat for cat, rs in case.gold.records().items() for r in rs if r.id}
        for cat, records in case.gold.records().items():
            field = REGISTRY[cat].link
            for rec in records:
                target = getattr(rec, field) if field else None
                if target is not None:
                    links += 1
                    assert owner[target] in REGISTRY[cat].link_targets, (case.id, rec.id, target)
    assert links > 0
