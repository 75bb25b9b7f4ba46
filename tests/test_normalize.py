"""What the program adds to a summary after the model (summarizer.normalize): dates, actors, ISO codes, ids, links.

The article and its records are invented for these tests (Anna Berg, Lars Holm, Ken Sato); every summary is built
by hand, its evidence aligned in the article as the pipeline aligns it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from summarizer.align import Aligner
from summarizer.normalize import normalize
from summarizer.schemas import Actor, ArticleSummary

ARTICLE = (
    "Swedish Foreign Minister Anna Berg will fly to Tokyo next week to prepare a second summit between Prime "
    "Minister Lars Holm and Ken Sato. Berg visited Tallinn and Nordvik Bay last week. "
    "Holm and Sato met in Stockholm in June. At the Stockholm summit, Holm pledged to sign a trade agreement with "
    "Japan. Berg and Holm promised to brief parliament. Critics said the trade agreement with Japan would fail."
)
PUBLISHED = dt.date(2018, 9, 26)  # a Wednesday: "next week" is Monday 1 October to Sunday 7 October


def grounded(**fields: Any) -> dict[str, Any]:
    """A record's fields with its evidence aligned in :data:`ARTICLE`."""
    spans, ok = Aligner(ARTICLE).ground(fields["evidence"])
    return fields | {"spans": spans, "grounded": ok}


# The model's output, before normalize: short and titled name forms, dates of its own, no ids, codes or links.
TRIPS = [
    grounded(traveler="Berg", destinations=["Tokyo"], when="next week", date="1999-01-01", status="underway",
             purpose="prepare a second summit",
             evidence=["Berg will fly to Tokyo next week to prepare a second summit"]),
    grounded(traveler="Foreign Minister Anna Berg", destinations=["Tallinn", "Nordvik Bay"], when="last week",
             status="completed", evidence=["Berg visited Tallinn and Nordvik Bay last week"]),
    grounded(traveler="Anna Berg", destinations=["Panmunjom"], when="soon", date="2018-11", status="planned",
             evidence=["Anna Berg will fly to Tokyo"]),
]  # fmt: skip
SUMMITS = [
    grounded(participants=["Holm", "Sato"], location="Stockholm", when="in June", status="completed",
             evidence=["Holm and Sato met in Stockholm in June"]),
    grounded(participants=["Lars Holm", "Ken Sato", "Holm"], status="planned", ordinal=2, date="2019",
             evidence=["a second summit between Prime Minister Lars Holm and Ken Sato"]),
]  # fmt: skip
COMMITMENTS = [
    grounded(actor="Holm", action="sign a trade agreement with Japan", counterparty="Japan",
             occasion="the Stockholm summit", evidence=["Holm pledged to sign a trade agreement with Japan"]),
    grounded(actor="Berg and Holm", action="brief parliament", counterparty="Sato",
             evidence=["Berg and Holm promised to brief parliament"]),
]  # fmt: skip
SKEPTICISM = [
    grounded(holder="Critics", target="the trade agreement with Japan",
             evidence=["Critics said the trade agreement with Japan would fail"]),
]  # fmt: skip


def summary(published: dt.date | None = PUBLISHED, **lists: list[dict[str, Any]]) -> ArticleSummary:
    records = {"trips": TRIPS, "summits": SUMMITS, "commitments": COMMITMENTS, "skepticism": SKEPTICISM} | lists
    return ArticleSummary.model_validate({"published": published, "summary": "Berg will visit Tokyo.", **records})


def test_the_date_is_resolved_from_when_and_the_models_own_date_is_discarded() -> None:
    out = normalize(summary(), ARTICLE)
    assert [(t.date, t.date_granularity) for t in out.trips] == [
        ("2018-10-01/2018-10-07", "range"),  # "next week", not the model's 1999-01-01
        ("2018-09-17/2018-09-23", "range"),  # "last week"
        (None, None),  # "soon" resolves to nothing: the model's "2018-11" goes
    ]
    assert [(s.date, s.date_granularity) for s in out.summits] == [
        ("2018-06", "month"),  # "in June" of a completed summit: the June before publication
        (None, None),  # no ``when``: the model's "2019" goes
    ]


def test_without_a_publication_date_only_a_written_year_resolves() -> None:
    trips = [
        {**TRIPS[0], "status": "planned"},  # "next week": relative, nothing to count from
        {**TRIPS[1], "when": "June 12, 2018"},  # absolute, with its year
    ]
    out = normalize(summary(None, trips=trips), ARTICLE)
    assert [(t.date, t.date_granularity) for t in out.trips] == [(None, None), ("2018-06-12", "day")]
    assert [t.status for t in out.trips] == ["planned", "completed"]


def test_an_event_dated_wholly_after_publication_has_not_happened_yet() -> None:
    out = normalize(summary(), ARTICLE)
    assert [t.status for t in out.trips] == ["planned", "completed", "planned"]  # underway next week: planned
    summit = {**SUMMITS[0], "status": "underway", "when": "next month"}
    assert normalize(summary(summits=[summit]), ARTICLE).summits[0].status == "planned"
    completed = {**TRIPS[1], "when": "October 5, 2018"}  # a completed trip dated after its paper
    assert normalize(summary(trips=[completed]), ARTICLE).trips[0].status == "planned"
    undated_paper = normalize(summary(None, trips=[completed]), ARTICLE).trips[0]
    assert (undated_paper.date, undated_paper.status) == ("2018-10-05", "completed")  # no paper date to be after


def test_an_event_already_under_way_on_the_publication_day_keeps_its_status() -> None:
    this_week = {**TRIPS[0], "when": "this week"}  # Monday 24 to Sunday 30 September: it started before the paper
    trip = normalize(summary(trips=[this_week]), ARTICLE).trips[0]
    assert (trip.date, trip.status) == ("2018-09-24/2018-09-30", "underway")


def test_names_are_rewritten_to_the_articles_canonical_actors() -> None:
    out = normalize(summary(), ARTICLE)
    assert [t.traveler for t in out.trips] == ["Anna Berg"] * 3
    assert [s.participants for s in out.summits] == [["Lars Holm", "Ken Sato"], ["Lars Holm", "Ken Sato"]]
    assert [(c.actor, c.counterparty) for c in out.commitments] == [
        ("Lars Holm", "Japan"),
        ("Anna Berg and Lars Holm", "Ken Sato"),  # both parties of "X and Y", each canonical
    ]
    assert [k.holder for k in out.skepticism] == ["Critics"]


def test_the_actors_are_listed_with_role_country_and_the_forms_the_records_used() -> None:
    out = normalize(summary(), ARTICLE)
    assert out.actors[:3] == [
        Actor(name="Anna Berg", role="Swedish Foreign Minister", country="SWE",
              aliases=["Berg", "Foreign Minister Anna Berg"]),
        Actor(name="Lars Holm", role="Prime Minister", aliases=["Holm"]),
        Actor(name="Ken Sato", aliases=["Sato"]),
    ]  # fmt: skip
    assert {a.name for a in out.actors[3:]} == {"Japan", "Critics"}
    assert next(a for a in out.actors if a.name == "Japan").country == "JPN"


def test_each_place_gets_its_countrys_iso_code_and_an_unknown_place_none() -> None:
    out = normalize(summary(), ARTICLE)
    assert [t.destination_codes for t in out.trips] == [["JPN"], ["EST", None], [None]]
    assert [s.location_code for s in out.summits] == ["SWE", None]


def test_ids_are_assigned_by_position_and_links_filled() -> None:
    out = normalize(summary(), ARTICLE)
    assert [r.id for rs in out.records().values() for r in rs] == ["T1", "T2", "T3", "S1", "S2", "C1", "C2", "K1"]
    assert [t.prepares for t in out.trips] == ["S2", None, None]  # prepares the second summit, still to come
    assert [c.made_at for c in out.commitments] == ["S1", None]  # pledged at the Stockholm summit
    assert [k.doubts for k in out.skepticism] == ["C1"]  # the trade agreement


def test_the_input_is_not_changed_and_a_copy_is_returned() -> None:
    before = summary()
    snapshot = before.model_dump()
    out = normalize(before, ARTICLE)
    assert out is not before and before.model_dump() == snapshot
    assert before.trips[0].date == "1999-01-01" and before.trips[0].id is None and before.actors == []
    assert out.trips[0] is not before.trips[0]


@pytest.mark.parametrize("category", ["trips", "summits", "commitments", "skepticism"])
def test_evidence_spans_grounding_and_record_counts_are_untouched(category: str) -> None:
    before = summary()
    out = normalize(before, ARTICLE)
    old, new = getattr(before, category), getattr(out, category)
    assert len(new) == len(old)
    for a, b in zip(old, new, strict=True):
        assert (b.evidence, b.spans, b.grounded, b.score) == (a.evidence, a.spans, a.grounded, a.score)
        assert all(s.start is not None for s in b.spans)
    assert out.summary == before.summary and out.published == before.published and out.meta == before.meta


def test_normalizing_twice_changes_no_record_more() -> None:
    once = normalize(summary(), ARTICLE)
    twice = normalize(once, ARTICLE)
    assert twice.records() == once.records()
    assert [a.name for a in twice.actors] == [a.name for a in once.actors]
    assert twice.actors[0].aliases == []  # aliases are the other forms the records use: now none


def test_settings_normalize_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.config import Settings

    monkeypatch.delenv("SUMMARIZER_NORMALIZE", raising=False)
    assert Settings().normalize is True


def test_a_summit_with_a_participant_titled_only_as_an_official_is_dropped_and_listed() -> None:
    from summarizer.schemas import RunMeta, Usage

    talks = grounded(participants=["Anna Berg", "Ken Sato"], status="planned",
                     evidence=["Berg will fly to Tokyo next week"])  # fmt: skip
    before = summary(summits=[*SUMMITS, talks])
    before.meta = RunMeta(model="m", backend="remote", pipeline="cited", prompts=[], usage=Usage(), seconds=0.0,
                          version="0")  # fmt: skip
    out = normalize(before, ARTICLE)
    assert [s.participants for s in out.summits] == [["Lars Holm", "Ken Sato"], ["Lars Holm", "Ken Sato"]]
    assert out.meta is not None and out.meta.rejected == ["summits: **Anna Berg – Ken Sato** — planned"]
    assert [s.id for s in out.summits] == ["S1", "S2"]  # ids after the drop
