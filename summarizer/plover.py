"""A summary's records as PLOVER event records, for political-science event-data tooling (POLECAT and its kin).

Spec followed: the PLOVER manual, "Political Language Ontology for Verifiable Event Records", draft 2.0,
https://github.com/openeventdata/PLOVER/blob/5e0c24fba623f2d8df5ae3c7de7a94dba90d5b6f/PLOVER_MANUAL.tex
(chapters "Event Categories" and "Data Fields"; the CAMEO conversion table ``CAMEO2PLOVER-2021.txt`` of that
repository for the CAMEO codes cited below). Field names are the manual's: ``id``, ``date``, ``enddate``,
``actor`` and ``recipient`` (the manual renamed "source"/"target"; lists of entity objects with ``code``, the
ISO 3166-1 alpha-3 country, and ``entity_text``, plus ``office``), ``event``, ``mode`` and ``context`` (lists),
``event_scale`` (the manual's PLOVER score), ``event_text`` (the texts of the event: the evidence quotes),
``link``, ``coder`` and ``cite_info`` (``codebook``, ``citation``). ``text`` is left out: the manual fills it only
when the coder owns the article's rights. Our own additions: ``record_id``, ``category`` and ``evidence`` (each
quote with its character offsets).

Rules, in :data:`RULES` (one entry per category) and :data:`MEETING` (a trip's or summit's status):

- a trip or summit completed or underway: ``CONSULT`` (CAMEO 042/043/044). Its mode: ``visit`` for a trip
  (actor the traveler, recipient the destinations); for a summit held in one participant's country, ``visit``
  with the visiting participants as actor and the host as recipient (the manual has no "host" mode: the visitor
  is always the actor, the host the recipient); held in a third country, ``third-party`` with every participant
  as actor; with the location or a participant's country unknown, no mode and every participant as actor (the
  manual's rule when hosting and visiting cannot be told apart). Dated by the meeting's day (a range: its start,
  with ``enddate``); a month or a year is never padded to a day, so ``date`` is then null.
- planned, proposed or postponed: ``AGREE`` with no mode (the manual: references to future meetings, summits and
  visits, and invitations, are ``AGREE``, which has no modes; CAMEO 036). A postponed meeting is moved to a new
  date, still a future meeting, not a refusal.
- cancelled: ``REJECT`` mode ``meet`` (CAMEO 125, reject a proposal to meet). The record does not say which
  side called it off: the parties keep the places they would have in the meeting.
- a commitment: ``AGREE`` (promise, offer, commitment to cooperate), actor the committed actor, recipient the
  counterparty when stated.
- skepticism: ``ACCUSE`` mode ``disapprove`` (the manual's successor of CAMEO 11 DISAPPROVE: criticize, denounce,
  complain), actor the holder, no recipient (the target is a plan, not an entity).
- every record: context ``diplomatic``; ``AGREE``, ``REJECT`` and ``ACCUSE`` are dated by the report, the
  article's publication date, or null. A name's country is the ``country`` of the article's actor whose name or
  alias it is (a name two actors share has none); a place's is its ``*_code``. Unknown: ``code`` is null, never
  guessed. ``id`` is ``{article_id}-{record id}`` (the record id alone without an article id; a record without
  an id is numbered by its category letter and position, ``T2``); ``link`` is the id of the event the record
  links to (the summit a trip prepares, where a commitment was made, what a doubt doubts).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from pydantic import BaseModel, Field

from .categories import REGISTRY
from .names import norm
from .schemas import CATEGORIES, Actor, ArticleSummary, Commitment, Skepticism, Span, Summit, Trip

SPEC = "https://github.com/openeventdata/PLOVER/blob/5e0c24fba623f2d8df5ae3c7de7a94dba90d5b6f/PLOVER_MANUAL.tex"
CODEBOOK = "PLOVER 2.0 draft"
CONTEXT = "diplomatic"
# The manual's "PLOVER conflict--cooperation scores" for the (event, mode) pairs used here.
SCORES: dict[tuple[str, str | None], float] = {
    ("CONSULT", None): 2.5,
    ("CONSULT", "visit"): 4.0,
    ("CONSULT", "third-party"): 1.0,
    ("AGREE", None): 2.5,
    ("REJECT", "meet"): -2.0,
    ("ACCUSE", "disapprove"): -2.0,
}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class PloverEntity(BaseModel):
    """One actor or recipient: the manual's entity object (the fields it fills here)."""

    code: str | None = Field(description="ISO 3166-1 alpha-3 country code; null when unknown")
    entity_text: str = Field(description="the name as the record gives it")
    office: str | None = Field(default=None, description="the actor's title, when the article states it")


class PloverEvent(BaseModel):
    """One PLOVER event record (field names of the manual's "PLOVER JSON" table, plus the last three)."""

    id: str
    date: str | None = Field(description="YYYY-MM-DD; null when the day is unknown")
    enddate: str | None = None
    actor: list[PloverEntity]
    recipient: list[PloverEntity] = Field(default_factory=list)
    event: list[str]
    mode: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=lambda: [CONTEXT])
    event_scale: float
    event_text: list[str]
    link: str | None = None
    coder: str
    cite_info: dict[str, str]
    record_id: str
    category: str
    evidence: list[Span]


class Coding(NamedTuple):
    """An event type and mode; ``meeting``: the meeting took place (mode from where, dated by its day)."""

    event: str
    mode: str | None = None
    meeting: bool = False


class Parties(NamedTuple):
    actor: list[PloverEntity]
    recipient: list[PloverEntity]
    place_mode: str | None = None  # the CONSULT mode where the meeting took place gives


Who = Callable[[str], PloverEntity]  # a person's or group's name → its entity

AGREE = Coding("AGREE")
MEETING: dict[str, Coding] = {
    "completed": Coding("CONSULT", meeting=True),
    "underway": Coding("CONSULT", meeting=True),
    "planned": AGREE,
    "proposed": AGREE,
    "postponed": AGREE,
    "cancelled": Coding("REJECT", "meet"),
}


def _trip_parties(rec: Trip, who: Who) -> Parties:
    codes = [*rec.destination_codes, *[None] * len(rec.destinations)]  # a missing code is null
    places = [PloverEntity(code=c, entity_text=d) for d, c in zip(rec.destinations, codes, strict=False)]
    return Parties([who(rec.traveler)], places, "visit")


def _summit_parties(rec: Summit, who: Who) -> Parties:
    everyone, where = [who(p) for p in rec.participants], rec.location_code
    hosts = [e for e in everyone if where and e.code == where]
    guests = [e for e in everyone if not (where and e.code == where)]
    if hosts and guests:
        return Parties(guests, hosts, "visit")
    if where and everyone and all(e.code for e in everyone) and not hosts:
        return Parties(everyone, [], "third-party")
    return Parties(everyone, [])


def _commitment_parties(rec: Commitment, who: Who) -> Parties:
    return Parties([who(rec.actor)], [who(rec.counterparty)] if rec.counterparty else [])


def _skepticism_parties(rec: Skepticism, who: Who) -> Parties:
    return Parties([who(rec.holder)], [])


class Rule(NamedTuple):
    codes: dict[str, Coding]  # by the record's status; "*" for records without one
    parties: Callable[[Any, Who], Parties]


RULES: dict[str, Rule] = {
    "trips": Rule(MEETING, _trip_parties),
    "summits": Rule(MEETING, _summit_parties),
    "commitments": Rule({"*": AGREE}, _commitment_parties),
    "skepticism": Rule({"*": Coding("ACCUSE", "disapprove")}, _skepticism_parties),
}


def _lookup(actors: list[Actor]) -> Who:
    """Name → entity, its country and office from the actor named so (none when two actors claim the name)."""
    known: dict[str, Actor | None] = {}
    for actor in actors:
        for name in {norm(n) for n in (actor.name, *actor.aliases)} - {""}:
            known[name] = actor if known.get(name, actor) is actor else None

    def who(name: str) -> PloverEntity:
        actor = known.get(norm(name))
        if actor is None:
            return PloverEntity(code=None, entity_text=name)
        return PloverEntity(code=actor.country, entity_text=name, office=actor.role)

    return who


def _meeting_dates(date: str | None) -> tuple[str | None, str | None]:
    start, _, end = (date or "").partition("/")
    if not _DAY.fullmatch(start):
        return None, None
    return start, end if _DAY.fullmatch(end) else None


def plover_events(summary: ArticleSummary, *, article_id: str | None = None) -> list[PloverEvent]:
    """Every record of ``summary`` as one PLOVER event, in category then record order (see the module docstring)."""
    who = _lookup(summary.actors)
    published = summary.published.isoformat() if summary.published else None
    coder = f"summarizer {summary.meta.version}" if summary.meta else "summarizer"
    cite = {"codebook": CODEBOOK, **({"citation": article_id} if article_id else {})}

    def event_id(record_id: str) -> str:
        return f"{article_id}-{record_id}" if article_id else record_id

    events: list[PloverEvent] = []
    for name in CATEGORIES:
        rule, meta = RULES[name], REGISTRY[name]
        for n, rec in enumerate(getattr(summary, name), 1):
            coding = rule.codes[getattr(rec, "status", "*")]
            parties = rule.parties(rec, who)
            mode = parties.place_mode if coding.meeting else coding.mode
            date, enddate = _meeting_dates(rec.date) if coding.meeting else (published, None)
            record_id = meta.record_id(n, rec)
            target = getattr(rec, meta.link) if meta.link else None
            events.append(
                PloverEvent(
                    id=event_id(record_id),
                    date=date,
                    enddate=enddate,
                    actor=parties.actor,
                    recipient=parties.recipient,
                    event=[coding.event],
                    mode=[mode] if mode else [],
                    event_scale=SCORES[coding.event, mode],
                    event_text=list(rec.evidence),
                    link=event_id(target) if target else None,
                    coder=coder,
                    cite_info=cite,
                    record_id=record_id,
                    category=name,
                    evidence=rec.spans or [Span(quote=q) for q in rec.evidence],
                )
            )
    return events


def to_plover(summary: ArticleSummary, article_id: str | None = None) -> str:
    """The events as JSON Lines: one record per line (the manual's suggested interchange form), "" for none."""
    events = plover_events(summary, article_id=article_id)
    return "".join(json.dumps(e.model_dump(mode="json"), ensure_ascii=False) + "\n" for e in events)
