"""Hand-built scoring cases over one short article: gold records of every category, and helpers that turn record
dicts into a gold case and into a prediction whose evidence is aligned as the pipeline aligns it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from summarizer.align import Aligner
from summarizer.articles import Article
from summarizer.eval.gold import GoldCase, GoldFile
from summarizer.schemas import ArticleSummary, Commitment, Skepticism, Summit, Trip

Record = dict[str, Any]  # one record as in a gold file (``optional`` allowed)

ARTICLE = (
    "Secretary of State Mike Pompeo will travel to North Korea next month. "
    "Kim pledged to dismantle a missile test site following his summit with Moon. "
    "Korea watchers worry it would lead to demands that the U.S. withdraw from South Korea. "
    "President Trump will hold a second summit with Kim Jong Un. "
    "Moon Jae-in visited Pyongyang last week."
)

TRIPS: list[Record] = [
    {
        "traveler": "Mike Pompeo",
        "traveler_role": "Secretary of State",
        "destinations": ["North Korea"],
        "when": "next month",
        "date": "2018-10",
        "purpose": None,
        "status": "planned",
        "ordinal": None,
        "evidence": ["Mike Pompeo will travel to North Korea next month"],
    },
    {
        "traveler": "Moon Jae-in",
        "traveler_role": None,
        "destinations": ["Pyongyang"],
        "when": "last week",
        "date": None,
        "purpose": None,
        "status": "completed",
        "ordinal": None,
        "evidence": ["Moon Jae-in visited Pyongyang last week"],
    },
]
SUMMITS: list[Record] = [
    {
        "participants": ["Donald Trump", "Kim Jong Un"],
        "location": None,
        "when": None,
        "date": None,
        "status": "planned",
        "ordinal": 2,
        "evidence": ["President Trump will hold a second summit with Kim Jong Un"],
    },
]
COMMITMENTS: list[Record] = [
    {
        "actor": "Kim Jong Un",
        "action": "dismantle a missile test site",
        "counterparty": None,
        "occasion": "his summit with Moon",
        "evidence": ["Kim pledged to dismantle a missile test site"],
    },
]
SKEPTICISM: list[Record] = [
    {
        "holder": "Korea watchers",
        "target": "a peace deal",
        "reason": "U.S. withdrawal from South Korea",
        "evidence": ["Korea watchers worry it would lead to demands that the U.S. withdraw from South Korea"],
    },
]
OUT = {"trips": Trip, "summits": Summit, "commitments": Commitment, "skepticism": Skepticism}


def gold_case(**lists: list[Record]) -> GoldCase:
    """A gold case over :data:`ARTICLE` with these records per category (the others empty)."""
    data = {
        "format": "summarizer-gold/1",
        "id": "t",
        "article": "a.txt",
        "summary": "Pompeo will visit North Korea.",
        "trips": [],
        "summits": [],
        "commitments": [],
        "skepticism": [],
    } | lists
    return GoldCase(GoldFile.model_validate(data), Article("a.txt", ARTICLE), Path("t.json"))


def prediction(**lists: list[Record]) -> ArticleSummary:
    """The tool's output with these records, their evidence aligned in :data:`ARTICLE` (``optional`` dropped)."""
    aligner = Aligner(ARTICLE)
    out: dict[str, Any] = {}
    for cat, records in lists.items():
        built = []
        for r in records:
            r = {k: v for k, v in r.items() if k != "optional"}
            spans, grounded = aligner.ground(r["evidence"])
            built.append(OUT[cat](**r, spans=spans, grounded=grounded))
        out[cat] = built
    return ArticleSummary(summary="Pompeo will visit North Korea.", **out)


FULL: dict[str, list[Record]] = {
    "trips": TRIPS,
    "summits": SUMMITS,
    "commitments": COMMITMENTS,
    "skepticism": SKEPTICISM,
}
