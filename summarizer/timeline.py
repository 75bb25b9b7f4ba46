"""One story across articles: the trips and summits of several summaries merged into dated events.

:func:`build_timeline` reads summaries (normalized: resolved dates, canonical names, ISO codes; see
:mod:`summarizer.normalize`) in order of publication and puts every trip and summit into an event:

- **Same event**: a record joins an earlier event of its category when it is about the same who (the traveler;
  for summits, the participants as :data:`summarizer.categories.REGISTRY`'s summit rule counts them), shares a
  place (a destination by name or ISO code; a summit's location, if both state one), and nothing rules it out:
  dates more than :data:`DATE_SLACK_DAYS` apart, ordinals that differ while the dates do not agree, or a
  later article calling planned what an earlier one reported completed (the next trip, not this one), or an
  article calling planned, with no date, an event that earlier articles dated before its own publication (it
  would be overdue: another event). Support is agreeing dates (2 each), equal ordinals (1 each) and the same
  status as the event's latest mention (1); an article's records and the events they fit are paired
  best-supported first, one record per event.
- **What the event says**: its status is the one of the latest article that mentions it (by publication date,
  then input order), with the history of statuses; its date is the most precise date the mentions agree on,
  preferring later articles; its ordinal likewise.
- **Conflicts are shown, not hidden**: two mentions whose dates disagree at their common granularity, or whose
  ordinals differ, are listed on the event with the articles that say each.

Every mention keeps its article, record id, status and evidence with character offsets into its article.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from .categories import REGISTRY
from .dates import ResolvedDate, first_day, last_day
from .names import SAME_NAME, dates_agree, name_similarity, norm
from .schemas import ArticleSummary, Granularity, Span, Status

DATE_SLACK_DAYS = 10  # disagreeing dates further apart than this are two events, not one with a conflict
EVENT_CATEGORIES = ("trips", "summits")
_LIFECYCLE = {"proposed": 0, "planned": 1, "postponed": 1, "cancelled": 2, "underway": 2, "completed": 3}


class Mention(BaseModel):
    """One article's record of an event."""

    article: str
    published: dt.date | None
    record: str
    status: Status
    when: str | None
    date: str | None
    date_granularity: Granularity | None
    ordinal: int | None
    evidence: list[Span]


class StatusChange(BaseModel):
    published: dt.date | None
    article: str
    status: Status


class Event(BaseModel):
    id: str
    category: Literal["trips", "summits"]
    label: str
    who: list[str]
    places: list[str]
    place_codes: list[str] = Field(default_factory=list)
    date: str | None
    date_granularity: Granularity | None
    status: Status
    ordinal: int | None
    history: list[StatusChange]
    conflicts: list[str] = Field(default_factory=list)
    mentions: list[Mention]


class ArticleRef(BaseModel):
    id: str
    published: dt.date | None


class Timeline(BaseModel):
    format: Literal["summarizer-timeline/1"] = "summarizer-timeline/1"
    articles: list[ArticleRef]
    events: list[Event]


def _who(category: str, rec: Any) -> list[str]:
    return [rec.traveler] if category == "trips" else list(rec.participants)


def _places(category: str, rec: Any) -> tuple[list[str], list[str]]:
    if category == "trips":
        return list(rec.destinations), [c for c in rec.destination_codes if c]
    return ([rec.location] if rec.location else []), ([rec.location_code] if rec.location_code else [])


def _days_apart(a: str, b: str) -> int:
    return abs((first_day(a) - first_day(b)).days)


class _Draft:
    """An event being built: its mentions and the fields they were merged from."""

    def __init__(self, category: str, rec: Any, mention: Mention) -> None:
        self.category = category
        self.who = _who(category, rec)
        self.places, self.codes = _places(category, rec)
        self.mentions = [mention]

    def same_who(self, category: str, rec: Any) -> bool:
        other = _who(category, rec)
        if category == "trips":
            return name_similarity(self.who[0], other[0]) >= SAME_NAME
        common = sum(any(name_similarity(a, b) >= SAME_NAME for b in self.who) for a in other)
        return common >= (1 if min(len(other), len(self.who)) == 1 else 2)

    def same_place(self, category: str, rec: Any) -> bool:
        places, codes = _places(category, rec)
        if category == "summits" and (not places or not self.places):
            return True
        if set(codes) & set(self.codes):
            return True
        return any(name_similarity(a, b) >= SAME_NAME or norm(a) == norm(b) for a in places for b in self.places)

    def support(self, mention: Mention) -> float | None:
        """How well ``mention`` fits this event: None if it cannot be the same event (module docstring)."""
        if any(m.article == mention.article for m in self.mentions):
            return None
        score = 0.0
        for m in self.mentions:
            if m.date and mention.date:
                if dates_agree(m.date, mention.date):
                    score += 2
                elif _days_apart(m.date, mention.date) > DATE_SLACK_DAYS:
                    return None
            dates_ok = bool(m.date and mention.date and dates_agree(m.date, mention.date))
            if m.ordinal and mention.ordinal:
                if m.ordinal != mention.ordinal and not dates_ok:
                    return None
                score += m.ordinal == mention.ordinal
        latest = self.mentions[-1]
        if _LIFECYCLE[mention.status] < _LIFECYCLE[latest.status] and latest.status == "completed":
            later = latest.published and mention.published and mention.published > latest.published
            if later and not (latest.date and mention.date and dates_agree(latest.date, mention.date)):
                return None
        overdue = mention.published and any(m.date and last_day(m.date) < mention.published for m in self.mentions)
        if mention.status in ("proposed", "planned") and not mention.date and overdue:
            return None  # still to come in this article, yet dated before it: another event
        return score + (mention.status == latest.status)

    def add(self, category: str, rec: Any, mention: Mention) -> None:
        self.mentions.append(mention)
        places, codes = _places(category, rec)
        self.places += [p for p in places if all(norm(p) != norm(q) for q in self.places)]
        self.codes += [c for c in codes if c not in self.codes]
        for name in _who(category, rec):
            if all(name_similarity(name, w) < SAME_NAME for w in self.who):
                self.who.append(name)


def _order(m: Mention) -> tuple[int, dt.date]:
    return (m.published is None, m.published or dt.date.min)


def _conflicts(mentions: list[Mention]) -> list[str]:
    out: list[str] = []
    dated = [m for m in mentions if m.date]
    for i, a in enumerate(dated):
        for b in dated[i + 1 :]:
            if a.date and b.date and not dates_agree(a.date, b.date):
                out.append(f"date: {a.date} ({a.article}) vs {b.date} ({b.article})")
    counted = [m for m in mentions if m.ordinal]
    if len({m.ordinal for m in counted}) > 1:
        out.append("ordinal: " + " vs ".join(f"{m.ordinal} ({m.article})" for m in counted))
    return out


def _best_date(mentions: list[Mention]) -> ResolvedDate | None:
    """The most precise date, later articles first among equally precise ones, that no later mention contradicts."""
    dated = [m for m in sorted(mentions, key=_order, reverse=True) if m.date and m.date_granularity]
    precision = {"day": 3, "range": 2, "month": 1, "year": 0}
    best = max(dated, key=lambda m: precision[m.date_granularity or "year"], default=None)
    if best is None or best.date is None or best.date_granularity is None:
        return None
    return ResolvedDate(best.date, best.date_granularity)


def _finish(number: int, draft: _Draft) -> Event:
    mentions = sorted(draft.mentions, key=_order)
    latest = mentions[-1]
    when = _best_date(mentions)
    ordinals = [m.ordinal for m in reversed(mentions) if m.ordinal]
    category: Literal["trips", "summits"] = "trips" if draft.category == "trips" else "summits"
    label = f"{draft.who[0]} → {', '.join(draft.places) or '?'}" if category == "trips" else " – ".join(draft.who)
    return Event(
        id=f"E{number}",
        category=category,
        label=label if category == "trips" else label + (f" in {draft.places[0]}" if draft.places else ""),
        who=draft.who,
        places=draft.places,
        place_codes=draft.codes,
        date=when.value if when else None,
        date_granularity=when.granularity if when else None,
        status=latest.status,
        ordinal=ordinals[0] if ordinals else None,
        history=[StatusChange(published=m.published, article=m.article, status=m.status) for m in mentions],
        conflicts=_conflicts(mentions),
        mentions=mentions,
    )


def build_timeline(summaries: list[tuple[str, ArticleSummary]]) -> Timeline:
    """Merge the trips and summits of ``(article id, summary)`` pairs into events (rules: module docstring)."""
    order = sorted(range(len(summaries)), key=lambda i: (summaries[i][1].published is None,
                                                         summaries[i][1].published or dt.date.min, i))  # fmt: skip
    drafts: list[_Draft] = []
    for i in order:
        article, summary = summaries[i]
        for category in EVENT_CATEGORIES:
            records = list(getattr(summary, category))
            mentions = [
                Mention(
                    article=article, published=summary.published,
                    record=REGISTRY[category].record_id(n, rec), status=rec.status, when=rec.when,
                    date=rec.date, date_granularity=rec.date_granularity, ordinal=rec.ordinal, evidence=rec.spans,
                )
                for n, rec in enumerate(records, 1)
            ]  # fmt: skip
            fits = [
                (score, -k, -j, j, k)
                for j, (rec, mention) in enumerate(zip(records, mentions, strict=True))
                for k, d in enumerate(drafts)
                if d.category == category and d.same_who(category, rec) and d.same_place(category, rec)
                and (score := d.support(mention)) is not None
            ]  # fmt: skip
            placed: set[int] = set()
            taken: set[int] = set()
            for *_, j, k in sorted(fits, reverse=True):  # the best-supported pairs first, one record per event
                if j not in placed and k not in taken:
                    drafts[k].add(category, records[j], mentions[j])
                    placed.add(j)
                    taken.add(k)
            for j in range(len(records)):
                if j not in placed:
                    drafts.append(_Draft(category, records[j], mentions[j]))
    events = [_finish(k, d) for k, d in enumerate(drafts, 1)]
    events.sort(key=lambda e: (e.date is None, first_day(e.date) if e.date else dt.date.max, e.id))
    events = [e.model_copy(update={"id": f"E{k}"}) for k, e in enumerate(events, 1)]
    refs = [ArticleRef(id=summaries[i][0], published=summaries[i][1].published) for i in order]
    return Timeline(articles=refs, events=events)
