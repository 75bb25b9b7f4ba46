"""PLOVER export (summarizer.plover): each row of the mapping, the parties' countries (null when unknown), host
against third-party summits, dates, stable ids and the manual's JSON field names. Names and places are invented."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, get_args

import pytest

from summarizer.plover import MEETING, RULES, SCORES, plover_events, to_plover
from summarizer.schemas import (
    CATEGORIES,
    Actor,
    ArticleSummary,
    Commitment,
    RunMeta,
    Skepticism,
    Span,
    Status,
    Summit,
    Trip,
    Usage,
)

ACTORS = [
    Actor(name="Mara Velt", role="Foreign Minister", country="NLD", aliases=["Velt", "Minister Velt"]),
    Actor(name="Oskar Linde", role="Prime Minister", country="SWE"),
    Actor(name="Ilse Brann", role="Chancellor", country="AUT"),
    Actor(name="Dario Pell", country=None),  # the article does not make his country clear
]
PUBLISHED = dt.date(2031, 4, 9)
QUOTE = "Velt flew to Stockholm on Monday."


def trip(status: Status = "completed", **kw: Any) -> Trip:
    fields: dict[str, Any] = {
        "traveler": "Velt",
        "destinations": ["Stockholm"],
        "destination_codes": ["SWE"],
        "date": "2031-04-07",
        "status": status,
        "evidence": [QUOTE],
        "id": "T1",
    }
    return Trip(**(fields | kw))


def summit(status: Status = "completed", **kw: Any) -> Summit:
    fields: dict[str, Any] = {
        "participants": ["Mara Velt", "Oskar Linde"],
        "location": "Uppsala",
        "location_code": "SWE",
        "date": "2031-04-08",
        "status": status,
        "evidence": ["Velt and Linde met in Uppsala."],
        "id": "S1",
    }
    return Summit(**(fields | kw))


def events(**records: Any) -> list[dict[str, Any]]:
    summary = ArticleSummary(summary="s", published=PUBLISHED, actors=ACTORS, **records)
    return [e.model_dump(mode="json") for e in plover_events(summary, article_id="art-7")]


def one(**records: Any) -> dict[str, Any]:
    [event] = events(**records)
    return event


def codes(entities: list[dict[str, Any]]) -> list[str | None]:
    return [e["code"] for e in entities]


@pytest.mark.parametrize(
    ("status", "event", "mode", "scale"),
    [
        ("completed", "CONSULT", ["visit"], 4.0),
        ("underway", "CONSULT", ["visit"], 4.0),
        ("planned", "AGREE", [], 2.5),
        ("proposed", "AGREE", [], 2.5),
        ("postponed", "AGREE", [], 2.5),
        ("cancelled", "REJECT", ["meet"], -2.0),
    ],
)
def test_a_trip_by_status(status: Status, event: str, mode: list[str], scale: float) -> None:
    e = one(trips=[trip(status)])
    assert (e["event"], e["mode"], e["event_scale"], e["context"]) == ([event], mode, scale, ["diplomatic"])
    assert codes(e["actor"]) == ["NLD"] and codes(e["recipient"]) == ["SWE"]  # the traveler visits the place
    assert e["actor"][0] == {"code": "NLD", "entity_text": "Velt", "office": "Foreign Minister"}
    # a meeting that took place is dated by its day; an agreement or refusal by the report
    assert e["date"] == ("2031-04-07" if event == "CONSULT" else "2031-04-09")


def test_every_status_and_category_has_a_row_and_every_row_a_score() -> None:
    assert set(MEETING) == set(get_args(Status)) and tuple(RULES) == CATEGORIES
    rows = [c for rule in RULES.values() for c in rule.codes.values()]
    assert {(c.event, c.mode) for c in rows if not c.meeting} <= set(SCORES)
    assert {("CONSULT", m) for m in (None, "visit", "third-party")} <= set(SCORES)


def test_a_trip_dated_by_a_month_or_a_range_is_never_padded_to_a_day() -> None:
    assert one(trips=[trip(date="2031-04")])["date"] is None
    assert one(trips=[trip(date=None)])["date"] is None
    ranged = one(trips=[trip(date="2031-04-07/2031-04-10", date_granularity="range")])
    assert (ranged["date"], ranged["enddate"]) == ("2031-04-07", "2031-04-10")
    half = one(trips=[trip(date="2031-04-07/2031-05")])
    assert (half["date"], half["enddate"]) == ("2031-04-07", None)


def test_unknown_countries_stay_null() -> None:
    stranger = one(trips=[trip(traveler="Kaspar Noor", destinations=["Rivermouth", "Stockholm"], destination_codes=[])])
    assert stranger["actor"] == [{"code": None, "entity_text": "Kaspar Noor", "office": None}]
    # no code given: a place is not looked up by its name
    assert stranger["recipient"] == [
        {"code": None, "entity_text": p, "office": None} for p in ("Rivermouth", "Stockholm")
    ]
    assert codes(one(trips=[trip(traveler="Dario Pell")])["actor"]) == [None]  # an actor without a country
    partial = one(trips=[trip(destinations=["Stockholm", "Rivermouth"], destination_codes=["SWE", None])])
    assert codes(partial["recipient"]) == ["SWE", None]
    nobody = ArticleSummary(summary="s", trips=[trip()])  # no actors at all
    assert codes(plover_events(nobody)[0].model_dump()["actor"]) == [None]


def test_a_name_two_actors_share_has_no_country() -> None:
    twins = [*ACTORS, Actor(name="Velt", country="BEL")]
    summary = ArticleSummary(summary="s", actors=twins, trips=[trip()])
    assert plover_events(summary)[0].actor[0].code is None
    assert plover_events(summary.model_copy(update={"actors": ACTORS}))[0].actor[0].code == "NLD"
    spelled = one(trips=[trip(traveler="MINISTER  VELT")])  # case and spacing folded, as everywhere
    assert codes(spelled["actor"]) == ["NLD"]


def test_a_summit_in_a_participants_country_is_a_visit_to_the_host() -> None:
    e = one(summits=[summit(participants=["Mara Velt", "Oskar Linde", "Ilse Brann"])])
    assert (e["event"], e["mode"], e["event_scale"]) == (["CONSULT"], ["visit"], 4.0)
    assert codes(e["actor"]) == ["NLD", "AUT"] and codes(e["recipient"]) == ["SWE"]


def test_a_summit_in_a_third_country_has_every_participant_as_actor() -> None:
    e = one(summits=[summit(location="Lisbon", location_code="PRT")])
    assert (e["event"], e["mode"], e["event_scale"]) == (["CONSULT"], ["third-party"], 1.0)
    assert codes(e["actor"]) == ["NLD", "SWE"] and e["recipient"] == []


@pytest.mark.parametrize(
    "kw",
    [
        {"location": None, "location_code": None},  # location unknown
        {"location": "Rivermouth", "location_code": None},  # a place without a country
        {"participants": ["Mara Velt", "Dario Pell"], "location_code": "PRT"},  # Pell might be the host
        {"participants": ["Oskar Linde"]},  # only the host's side
    ],
)
def test_a_summit_whose_host_cannot_be_told_has_no_mode(kw: dict[str, Any]) -> None:
    e = one(summits=[summit(**kw)])
    assert (e["event"], e["mode"], e["event_scale"], e["recipient"]) == (["CONSULT"], [], 2.5, [])
    assert [a["entity_text"] for a in e["actor"]] == kw.get("participants", ["Mara Velt", "Oskar Linde"])


def test_a_planned_summit_is_an_agreement_dated_by_the_report() -> None:
    e = one(summits=[summit("planned", date="2031-06")])
    assert (e["event"], e["mode"], e["date"], e["enddate"]) == (["AGREE"], [], "2031-04-09", None)
    assert codes(e["actor"]) == ["NLD"] and codes(e["recipient"]) == ["SWE"]  # the same parties as the meeting
    cancelled = one(summits=[summit("cancelled", location_code="PRT")])
    assert (cancelled["event"], cancelled["mode"], codes(cancelled["actor"])) == (["REJECT"], ["meet"], ["NLD", "SWE"])


def test_a_commitment_is_an_agreement_to_its_counterparty() -> None:
    pledge = Commitment(actor="Oskar Linde", action="send grain", counterparty="Ilse Brann", evidence=["xyz"], id="C1")
    e = one(commitments=[pledge])
    assert (e["event"], e["mode"], e["event_scale"], e["date"]) == (["AGREE"], [], 2.5, "2031-04-09")
    assert codes(e["actor"]) == ["SWE"] and codes(e["recipient"]) == ["AUT"]
    alone = one(commitments=[pledge.model_copy(update={"counterparty": None})])
    assert alone["recipient"] == []
    unknown = one(commitments=[pledge.model_copy(update={"counterparty": "the Rivermouth council"})])
    assert unknown["recipient"] == [{"code": None, "entity_text": "the Rivermouth council", "office": None}]


def test_skepticism_is_a_disapproval_by_its_holder() -> None:
    doubt = Skepticism(holder="Minister Velt", target="the grain deal", evidence=["Velt doubts it."], id="K1")
    e = one(skepticism=[doubt])
    assert (e["event"], e["mode"], e["event_scale"], e["recipient"]) == (["ACCUSE"], ["disapprove"], -2.0, [])
    assert codes(e["actor"]) == ["NLD"]
    critics = one(skepticism=[doubt.model_copy(update={"holder": "critics"})])
    assert critics["actor"] == [{"code": None, "entity_text": "critics", "office": None}]


def test_ids_are_the_article_and_record_ids_and_stable() -> None:
    records = {
        "trips": [trip(id="T1", prepares="S1"), trip(id=None, traveler="Oskar Linde")],
        "summits": [summit(id="S1")],
        "skepticism": [Skepticism(holder="critics", target="it", evidence=["abc"], doubts="S1")],
    }
    first = events(**records)
    assert [e["id"] for e in first] == ["art-7-T1", "art-7-T2", "art-7-S1", "art-7-K1"]
    assert [e["record_id"] for e in first] == ["T1", "T2", "S1", "K1"]
    assert [e["category"] for e in first] == ["trips", "trips", "summits", "skepticism"]
    assert [e["link"] for e in first] == ["art-7-S1", None, None, "art-7-S1"]
    assert events(**records) == first  # deterministic
    bare = plover_events(ArticleSummary(summary="s", trips=[trip(prepares="S4")]))
    assert (bare[0].id, bare[0].link, bare[0].cite_info) == ("T1", "S4", {"codebook": "PLOVER 2.0 draft"})
    assert first[0]["cite_info"] == {"codebook": "PLOVER 2.0 draft", "citation": "art-7"}


def test_the_json_record_uses_the_manuals_field_names() -> None:
    span = Span(quote=QUOTE, start=10, end=43, method="exact", score=1.0)
    meta = RunMeta(model="m", backend="b", pipeline="cited", prompts=[], usage=Usage(), seconds=1.0, version="9.1")
    summary = ArticleSummary(summary="s", actors=ACTORS, trips=[trip(spans=[span])], meta=meta)
    [line] = to_plover(summary, "art-7").splitlines()
    record = json.loads(line)
    assert list(record) == [
        "id", "date", "enddate", "actor", "recipient", "event", "mode", "context", "event_scale", "event_text",
        "link", "coder", "cite_info", "record_id", "category", "evidence",
    ]  # fmt: skip
    assert not {"source", "target", "event_type", "source_text"} & set(record)
    assert set(record["actor"][0]) == {"code", "entity_text", "office"}
    assert record["event_text"] == [QUOTE] and record["coder"] == "summarizer 9.1"
    assert record["evidence"] == [span.model_dump(mode="json")]
    assert json.loads(to_plover(summary.model_copy(update={"meta": None})))["coder"] == "summarizer"
    no_spans = one(trips=[trip()])["evidence"]  # a record built without spans: the quotes, no offsets
    assert [(s["quote"], s["start"], s["end"]) for s in no_spans] == [(QUOTE, None, None)]


def test_an_article_without_records_has_no_events() -> None:
    assert to_plover(ArticleSummary(summary="nothing"), "a") == ""
