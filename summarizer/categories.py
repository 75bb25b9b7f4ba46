"""The record categories, in one table that the pipelines, the merger, the scorer and the renderer read.

A category is one :class:`Category` in :data:`REGISTRY`:

- its classes: the fields the model fills with verbatim quotes (``fields``), the same fields citing sentence
  numbers (``cited``), and the output record with aligned spans (``output``), all from :mod:`summarizer.schemas`;
- ``letter``, the one token the ``detect`` pipeline answers for a sentence that reports it;
- ``who``, the field naming whom the record is about: a scored pair and a merge must agree on it (a name
  field by :data:`~summarizer.names.SAME_NAME`; a list of names by set F1 above one half);
- ``key``, the scorer's key-field similarity in [0, 1] (see :mod:`summarizer.eval.match`);
- ``same_event``, whether two records of one article are one real-world record (see :mod:`summarizer.chunks`);
- ``field_rules``, how the scorer compares each field (see :mod:`summarizer.eval.fields`);
- ``headline``, the digest's one-line rendering (see :mod:`summarizer.render`);
- ``claim``, the record as one plain statement, which the ``detect`` pipeline asks the model to check;
- ``lean_drop``, the fields the ``lean`` pipeline leaves out of its schema;
- ``admissible``: whether a record can be of this kind given the roles the article gives its people (see
  :mod:`summarizer.normalize`): a summit is a meeting of leaders, so one with a participant whom the article
  titles only as a minister, secretary, envoy or other official is not one;
- ``colour`` and ``line``: how the HTML views mark the category's evidence: a colour of the Okabe–Ito palette (told
  apart by colour-blind readers) and an underline style (told apart in greyscale);
- ``link`` and ``link_targets``: the field by which a record points to another record's ``id``, and the
  categories it may point to (a trip to the summit it prepares, a commitment to the summit where it was made,
  a doubt to the commitment, summit or trip it doubts; see :mod:`summarizer.links`). Ids are the category's
  letter and a number: ``T1``, ``S2``.

A fifth category is its classes in :mod:`summarizer.schemas` plus one entry here; a test checks that every
entry's classes agree with each other and with the extraction schemas.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from .eval.fields import Comparator, dates, exact, name_lists, names, strings
from .names import SAME_NAME, dates_agree, name_similarity, norm, set_f1, text_similarity
from .schemas import (
    CitedCommitment,
    CitedSkepticism,
    CitedSummit,
    CitedTrip,
    Commitment,
    CommitmentFields,
    Skepticism,
    SkepticismFields,
    Summit,
    SummitFields,
    Trip,
    TripFields,
)

R = TypeVar("R", bound=BaseModel)
TEXT_MATCH = 0.8  # two phrases (an action, a target) are the same at this text similarity


@dataclass(frozen=True)
class Category(Generic[R]):
    """Everything the program knows about one kind of record (see the module docstring)."""

    name: str
    letter: str
    fields: type[R]
    cited: type[BaseModel]
    output: type[BaseModel]
    who: str
    key: Callable[[R, R], float]
    same_event: Callable[[R, R], bool]
    field_rules: dict[str, Comparator]
    headline: Callable[[R], str]
    claim: Callable[[R], str]
    lean_drop: tuple[str, ...] = field(default=())
    link: str | None = None
    link_targets: tuple[str, ...] = field(default=())
    colour: str = "#000000"
    line: str = "solid"
    admissible: Callable[[R, Callable[[str], str | None]], bool] | None = None

    def same_who(self, a: Any, b: Any) -> bool:
        """Whether two records are about the same who (the traveler, the participants, the actor, the holder)."""
        x, y = getattr(a, self.who), getattr(b, self.who)
        if isinstance(x, list):
            return set_f1(x, y) > 0.5
        return name_similarity(x, y) >= SAME_NAME

    def position_id(self, position: int) -> str:
        """The id of the record at 1-based ``position`` in its list: ``T1``, ``S2``."""
        return f"{self.letter}{position}"

    def record_id(self, position: int, record: Any) -> str:
        """The record's own id, else its position id."""
        return getattr(record, "id", None) or self.position_id(position)

    def compare_fields(self, pred: Any, gold: Any) -> dict[str, float]:
        """Score in [0, 1] for every field of a matched pair."""
        return {f: rule(getattr(pred, f), getattr(gold, f)) for f, rule in self.field_rules.items()}


def _common(xs: list[str], ys: list[str]) -> int:
    return sum(any(name_similarity(x, y) >= SAME_NAME for y in ys) for x in xs)


def _conflict(a: TripFields | SummitFields, b: TripFields | SummitFields) -> bool:
    """Trips or summits that cannot be one event: different status, ordinals, or dates that disagree."""
    return (
        a.status != b.status
        or (a.ordinal is not None and b.ordinal is not None and a.ordinal != b.ordinal)
        or (bool(a.date and b.date) and not dates_agree(a.date or "", b.date or ""))
    )


def _same_trip(a: TripFields, b: TripFields) -> bool:
    same = name_similarity(a.traveler, b.traveler) >= SAME_NAME and _common(a.destinations, b.destinations) > 0
    return same and not _conflict(a, b)


def _same_summit(a: SummitFields, b: SummitFields) -> bool:
    need = 1 if min(len(a.participants), len(b.participants)) == 1 else 2
    places = {norm(a.location), norm(b.location)} - {""}
    return _common(a.participants, b.participants) >= need and len(places) <= 1 and not _conflict(a, b)


def _same_commitment(a: CommitmentFields, b: CommitmentFields) -> bool:
    return name_similarity(a.actor, b.actor) >= SAME_NAME and text_similarity(a.action, b.action) >= TEXT_MATCH


def _same_skepticism(a: SkepticismFields, b: SkepticismFields) -> bool:
    return name_similarity(a.holder, b.holder) >= SAME_NAME and text_similarity(a.target, b.target) >= TEXT_MATCH


OFFICIAL = re.compile(
    r"\b(secretary|minister|envoy|ambassador|spokes\w*|advis[eo]r|official|diplomat|negotiator|director|general)\b",
    re.I,
)
LEADER = re.compile(
    r"\b(president|prime minister|premier|chancellor|king|queen|emperor|leader|chairman|dictator)\b", re.I
)


def _leaders_meet(rec: SummitFields, role_of: Callable[[str], str | None]) -> bool:
    """No participant is titled, in the article, only as an official who is not a head of state or government
    ("Secretary of State Mike Pompeo" meeting Kim is a trip's talks, not a summit)."""
    roles = [role_of(p) or "" for p in rec.participants]
    return not any(OFFICIAL.search(r) and not LEADER.search(r) for r in roles)


def _when(rec: TripFields | SummitFields) -> str:
    return " ".join(p for p in (rec.when, f"({rec.date})" if rec.date else None) if p)


def _trip_line(rec: TripFields) -> str:
    role = f" ({rec.traveler_role})" if rec.traveler_role else ""
    bits = [f"**{rec.traveler}**{role} → {', '.join(rec.destinations) or '?'}", rec.status, _when(rec)]
    return _join(
        [*bits, f"trip #{rec.ordinal}" if rec.ordinal else "", f"purpose: {rec.purpose}" if rec.purpose else ""]
    )


def _summit_line(rec: SummitFields) -> str:
    where = f" in {rec.location}" if rec.location else ""
    bits = [f"**{' – '.join(rec.participants)}**{where}", rec.status, _when(rec)]
    return _join([*bits, f"summit #{rec.ordinal}" if rec.ordinal else ""])


def _commitment_line(rec: CommitmentFields) -> str:
    to = f" (to {rec.counterparty})" if rec.counterparty else ""
    return _join([f"**{rec.actor}**: {rec.action}{to}", f"at {rec.occasion}" if rec.occasion else ""])


def _skepticism_line(rec: SkepticismFields) -> str:
    return _join([f"**{rec.holder}** doubts {rec.target}", f"because {rec.reason}" if rec.reason else ""])


def _trip_claim(rec: TripFields) -> str:
    return f"a trip by {rec.traveler} to {', '.join(rec.destinations)} ({rec.status})"


def _summit_claim(rec: SummitFields) -> str:
    return f"a meeting of the leaders {' and '.join(rec.participants)} ({rec.status})"


def _commitment_claim(rec: CommitmentFields) -> str:
    return f"a commitment by {rec.actor} to {rec.action}"


def _skepticism_claim(rec: SkepticismFields) -> str:
    return f"doubt about {rec.target}, voiced by {rec.holder}"


def _join(bits: list[str]) -> str:
    return " — ".join(b for b in bits if b)


def _trip_key(p: TripFields, g: TripFields) -> float:
    return (name_similarity(p.traveler, g.traveler) + set_f1(p.destinations, g.destinations)) / 2


def _summit_key(p: SummitFields, g: SummitFields) -> float:
    return set_f1(p.participants, g.participants)


def _commitment_key(p: CommitmentFields, g: CommitmentFields) -> float:
    return (name_similarity(p.actor, g.actor) + text_similarity(p.action, g.action)) / 2


def _skepticism_key(p: SkepticismFields, g: SkepticismFields) -> float:
    return (name_similarity(p.holder, g.holder) + text_similarity(p.target, g.target)) / 2


REGISTRY: dict[str, Category[Any]] = {
    c.name: c
    for c in (
        Category[TripFields](
            "trips", "T", TripFields, CitedTrip, Trip, "traveler", _trip_key, _same_trip,
            {"traveler": names, "traveler_role": strings, "destinations": name_lists, "when": strings,
             "date": dates, "purpose": strings, "status": exact, "ordinal": exact},
            _trip_line, _trip_claim, ("traveler_role", "when", "purpose"), "prepares", ("summits",), "#0072B2", "solid",
        ),
        Category[SummitFields](
            "summits", "S", SummitFields, CitedSummit, Summit, "participants", _summit_key, _same_summit,
            {"participants": name_lists, "location": names, "when": strings, "date": dates, "status": exact,
             "ordinal": exact},
            _summit_line, _summit_claim, ("when",), None, (), "#E69F00", "double", _leaders_meet,
        ),
        Category[CommitmentFields](
            "commitments", "C", CommitmentFields, CitedCommitment, Commitment, "actor", _commitment_key,
            _same_commitment, {"actor": names, "action": strings, "counterparty": names, "occasion": strings},
            _commitment_line, _commitment_claim, ("occasion",), "made_at", ("summits",), "#009E73", "dashed",
        ),
        Category[SkepticismFields](
            "skepticism", "K", SkepticismFields, CitedSkepticism, Skepticism, "holder", _skepticism_key,
            _same_skepticism, {"holder": names, "target": strings, "reason": strings},
            _skepticism_line, _skepticism_claim, (), "doubts", ("commitments", "summits", "trips"), "#CC79A7", "dotted",
        ),
    )
}  # fmt: skip


def category(name: str) -> Category[Any]:
    return REGISTRY[name]
