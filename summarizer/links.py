"""Record ids and the links between records of one summary, computed from the records' own fields.

Ids: each record's category letter and its 1-based position (``T1``, ``S2``, ``C1``, ``K3``), stable for a
given summary. Links (the field and the categories it may point to are each category's ``link`` and
``link_targets`` in :data:`summarizer.categories.REGISTRY`):

- **a trip prepares a summit** when the trip's purpose or evidence speaks of preparing a meeting (a cue word:
  summit, prepare, arrange, groundwork, ahead of, pave, set up) and the summit is not yet over (proposed, planned,
  postponed), or the summit's date is after the trip's; among several such summits, the one whose
  participants or ordinal the trip's text names ("a second summit" → ordinal 2);
- **a commitment was made at a summit** when its ``occasion`` names that summit (its location, a participant,
  "summit" and its ordinal) or, with no occasion, when its evidence is a sentence of that summit's evidence and its
  actor is a participant; only a summit that has happened or is under way (a pledge is made at a meeting that
  took place);
- **a doubt is about** the commitment, summit or trip whose content its ``target`` repeats best: text similarity
  of the target with a commitment's action, with "summit" and a summit's participants, with a trip's
  destinations; the best one at or above :data:`DOUBT_MATCH` wins, ties to the commitment.

Every rule gives a score; a link is written only when its score reaches the threshold, so an unclear relation
stays null rather than guessed.
"""

from __future__ import annotations

import re
from typing import Any

from .categories import REGISTRY
from .names import SAME_NAME, name_similarity, norm, text_similarity

PREPARE_CUE = re.compile(
    r"\b(prepar\w*|arrang\w*|groundwork|pave the way|lay the|ahead of|set up|planning for)\b", re.I
)
SUMMIT_WORDS = re.compile(r"\b(summit|meeting|declaration)\b", re.I)
TRIP_WORDS = re.compile(r"\b(trip|visit|travel\w*|journey)\b", re.I)
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
NOT_OVER = frozenset({"proposed", "planned", "postponed"})
HAPPENED = frozenset({"completed", "underway"})
DOUBT_MATCH = 0.75  # target-to-commitment text similarity at which a doubt is linked
OCCASION_MATCH = 0.5


def assign_ids(records: dict[str, list[Any]]) -> None:
    """Give every record its id (letter + position), in place."""
    for cat, recs in records.items():
        for i, rec in enumerate(recs, 1):
            rec.id = REGISTRY[cat].position_id(i)


def _names_in(text: str, names: list[str]) -> int:
    words = norm(text)
    return sum(1 for n in names if any(tok in words.split() for tok in norm(n).split()[-1:]))


def _ordinal_in(text: str) -> int | None:
    for word, n in ORDINALS.items():
        if re.search(rf"\b{word}\b", text, re.I):
            return n
    return None


def _prepares(trip: Any, summits: list[Any]) -> str | None:
    text = " ".join([trip.purpose or "", *trip.evidence])
    if not PREPARE_CUE.search(text):
        return None
    ordinal = _ordinal_in(text)
    best: tuple[float, str] | None = None
    for s in summits:
        later = bool(trip.date and s.date and s.date.split("/")[0] > trip.date.split("/")[0])
        if s.status not in NOT_OVER and not later:
            continue
        score = 1.0 + _names_in(text, s.participants) + (2.0 if ordinal and s.ordinal == ordinal else 0.0)
        score -= 2.0 if ordinal and s.ordinal and s.ordinal != ordinal else 0.0
        if score > 0 and (best is None or score > best[0]):
            best = (score, s.id)
    return best[1] if best else None


def _made_at(commitment: Any, summits: list[Any]) -> str | None:
    best: tuple[float, str] | None = None
    quotes = set(commitment.evidence)
    for s in summits:
        if s.status not in HAPPENED:
            continue
        is_participant = any(name_similarity(commitment.actor, p) >= SAME_NAME for p in s.participants)
        if commitment.occasion:
            occ = commitment.occasion
            score = 0.0
            place_words = {w for w in norm(s.location).split() if len(w) > 2}
            score += 1.0 if place_words & set(norm(occ).split()) else 0.0
            score += 0.5 * _names_in(occ, s.participants)
            score += 0.5 if re.search(r"\b(summit|meeting|talks)\b", occ, re.I) else 0.0
            score += 1.0 if s.ordinal and _ordinal_in(occ) == s.ordinal else 0.0
            score += 0.5 if is_participant else 0.0
            threshold = 1.0 + OCCASION_MATCH
        else:
            score = 2.0 if quotes & set(s.evidence) and is_participant else 0.0
            threshold = 2.0
        if score >= threshold and (best is None or score > best[0]):
            best = (score, s.id)
    return best[1] if best else None


def _summit_named(text: str, s: Any) -> float:
    """How clearly ``text`` names summit ``s``: its location, its leaders, its ordinal."""
    place = {w for w in norm(s.location).split() if len(w) > 2} & set(norm(text).split()) if s.location else set()
    ordinal = _ordinal_in(text)
    return (
        (1.0 if place else 0.0)
        + 0.5 * min(2, _names_in(text, s.participants))
        + (1.0 if ordinal and s.ordinal == ordinal else -1.0 if ordinal and s.ordinal else 0.0)
    )


def _doubts(doubt: Any, records: dict[str, list[Any]]) -> str | None:
    target = doubt.target
    summits = records.get("summits", [])
    if SUMMIT_WORDS.search(target) and summits:
        ranked = sorted(((_summit_named(target, s), -k, s.id) for k, s in enumerate(summits)), reverse=True)
        if len(summits) == 1 or ranked[0][0] > ranked[1][0]:
            return str(ranked[0][2])
    scored = [(text_similarity(target, c.action), c.id) for c in records.get("commitments", [])]
    best = max(scored, default=None)
    if best and best[0] >= DOUBT_MATCH:
        return str(best[1])
    if TRIP_WORDS.search(target):
        trips = [t for t in records.get("trips", []) if _names_in(target, [t.traveler, *t.destinations])]
        if len(trips) == 1:
            return str(trips[0].id)
    return None


def link(records: dict[str, list[Any]]) -> None:
    """Fill each record's link field (rules: the module docstring), in place; ids must be assigned."""
    summits = records.get("summits", [])
    for trip in records.get("trips", []):
        trip.prepares = _prepares(trip, summits)
    for c in records.get("commitments", []):
        c.made_at = _made_at(c, summits)
    for k in records.get("skepticism", []):
        k.doubts = _doubts(k, records)
