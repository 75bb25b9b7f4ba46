"""Gold timelines (``summarizer-timeline-gold/1``) and how well a built timeline merges records into events.

A gold timeline (``evals/timelines/*.json``) names its articles (gold ids) and its events; each event lists the
gold records (article id + record id) that report it, and every trip and summit of those gold files is in
exactly one event. :func:`load_gold_timeline` checks all of that and that each record exists.

Scoring (:func:`score_merging`) is over pairs of records, as coreference is scored: each mention of the built
timeline is mapped to the gold record its prediction matched in its article (:func:`summarizer.eval.match.match`,
the scorer's own pairing), and so to a gold event. Two mentions in one built event whose gold records share an
event are merged **correctly**; in different gold events, **wrongly**. Two gold records of one event that were
both found but sit in different built events are **missed**. Pairs with a record the extraction did not find
cannot be merged by anyone and are counted apart (``unreachable``). Precision is correct / (correct + wrong),
recall correct / (correct + missed).

:func:`gold_summary` turns a gold file into the summary a perfect extraction would give (its records, evidence
aligned, normalized by :func:`summarizer.normalize.normalize`), so a timeline built from gold summaries scores the
merging rules alone, apart from what the extraction misses.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..align import Aligner
from ..categories import REGISTRY
from ..errors import GoldFormatError, first_error
from ..normalize import normalize
from ..schemas import ArticleSummary, Status
from ..timeline import EVENT_CATEGORIES, Timeline, build_timeline
from .gold import GoldCase
from .match import match


class GoldRecordRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article: str
    record: str


class GoldEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    category: Literal["trips", "summits"]
    label: str
    date: str | None = None
    status: Status
    records: list[GoldRecordRef] = Field(min_length=1)


class GoldTimeline(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["summarizer-timeline-gold/1"]
    id: str
    description: str = ""
    articles: list[str] = Field(min_length=1)
    events: list[GoldEvent]
    notes: list[str] = Field(default_factory=list)


def _record_id(category: str, index: int, rec: object) -> str:
    return REGISTRY[category].record_id(index + 1, rec)


def load_gold_timeline(path: Path, cases: dict[str, GoldCase]) -> GoldTimeline:
    """Load and check a gold timeline against the gold cases it names; every problem raises
    :class:`GoldFormatError` listing them all."""
    return check_gold_timeline(_parse(path), path, cases)


def _parse(path: Path) -> GoldTimeline:
    """The file as a gold timeline, checked for its own shape only."""
    try:
        return GoldTimeline.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        detail = first_error(exc) if isinstance(exc, ValidationError) else str(exc)[:200]
        raise GoldFormatError([f"{path}: {detail}"]) from None


def check_gold_timeline(gold: GoldTimeline, path: Path, cases: dict[str, GoldCase]) -> GoldTimeline:
    """``gold`` (read from ``path``) checked against the gold cases it names (the rules of the module docstring)."""
    problems = [f"{path}: articles: no gold file with id {a!r}" for a in gold.articles if a not in cases]
    used: dict[tuple[str, str], str] = {}
    for e in gold.events:
        for ref in e.records:
            key = (ref.article, ref.record)
            if key in used:
                problems.append(f"{path}: {e.id}: {ref.article} {ref.record} is already in {used[key]}")
            used[key] = e.id
            case = cases.get(ref.article)
            records = getattr(case.gold, e.category) if case else []
            ids = {_record_id(e.category, i, r) for i, r in enumerate(records)}
            if ref.article not in gold.articles or ref.record not in ids:
                problems.append(f"{path}: {e.id}: no {e.category} record {ref.record} in {ref.article}")
    for a in gold.articles:
        case = cases.get(a)
        for cat in EVENT_CATEGORIES:
            for i, r in enumerate(getattr(case.gold, cat) if case else []):
                if (a, _record_id(cat, i, r)) not in used:
                    problems.append(f"{path}: {a} {cat} {_record_id(cat, i, r)} is in no event")
    if problems:
        raise GoldFormatError(problems)
    return gold


class MergeScore(BaseModel):
    timeline: str
    gold_events: int
    events: int
    correct: int
    wrong: int
    missed: int
    unreachable: int = Field(description="gold pairs with a record the extraction did not find")
    precision: float
    recall: float
    f1: float


def _gold_event_of(gold: GoldTimeline) -> dict[tuple[str, str], str]:
    return {(r.article, r.record): e.id for e in gold.events for r in e.records}


def score_merging(
    timeline: Timeline, gold: GoldTimeline, cases: dict[str, GoldCase], summaries: dict[str, ArticleSummary]
) -> MergeScore:
    """Pairwise merge scores of ``timeline`` (built from ``summaries``) against ``gold`` (module docstring)."""
    event_of = _gold_event_of(gold)
    to_gold: dict[tuple[str, str], tuple[str, str]] = {}  # (article, predicted record id) -> (article, gold id)
    for article in gold.articles:
        case, summary = cases[article], summaries.get(article)
        if summary is None:
            continue
        for cat in EVENT_CATEGORIES:
            preds, golds = list(getattr(summary, cat)), list(getattr(case.gold, cat))
            for pair in match(cat, preds, golds, case.article.text):
                pid = _record_id(cat, pair.pred, preds[pair.pred])
                to_gold[(article, pid)] = (article, _record_id(cat, pair.gold, golds[pair.gold]))
    built: dict[tuple[str, str], str] = {}
    correct = wrong = 0
    for e in timeline.events:
        found = [to_gold[k] for m in e.mentions if (k := (m.article, m.record)) in to_gold]
        for g in found:
            built[g] = e.id
        for a, b in combinations(found, 2):
            correct += event_of.get(a) == event_of.get(b)
            wrong += event_of.get(a) != event_of.get(b)
    missed = unreachable = 0
    for event in gold.events:
        for a, b in combinations([(r.article, r.record) for r in event.records], 2):
            if a not in built or b not in built:
                unreachable += 1
            elif built[a] != built[b]:
                missed += 1
    p = correct / (correct + wrong) if correct + wrong else 1.0
    r = correct / (correct + missed) if correct + missed else 1.0
    return MergeScore(
        timeline=gold.id, gold_events=len(gold.events), events=len(timeline.events), correct=correct, wrong=wrong,
        missed=missed, unreachable=unreachable, precision=round(p, 4), recall=round(r, 4),
        f1=round(2 * p * r / (p + r), 4) if p + r else 0.0,
    )  # fmt: skip


def gold_summary(case: GoldCase) -> ArticleSummary:
    """The gold file's records as a normalized summary (see the module docstring); record ids stay the gold's."""
    aligner = Aligner(case.article.text)
    records: dict[str, list[BaseModel]] = {}
    for cat, recs in case.gold.records().items():
        out = []
        for rec in recs:
            spans, grounded = aligner.ground(rec.evidence)
            fields = rec.model_dump(exclude={"optional"})
            out.append(REGISTRY[cat].output(**fields, spans=spans, grounded=grounded))
        records[cat] = out
    summary = ArticleSummary.model_validate({"published": case.gold.published, "summary": case.gold.summary or "",
                                             **records})  # fmt: skip
    ids = {cat: [r.id for r in recs] for cat, recs in case.gold.records().items()}
    out_summary = normalize(summary, case.article.text)
    renamed: dict[str, str] = {}  # normalize numbers records by position; the gold's own ids are kept
    for cat, recs in out_summary.records().items():
        for rec, gold_id in zip(recs, ids[cat], strict=True):
            if rec.id and gold_id:
                renamed[rec.id] = gold_id
            rec.id = gold_id or rec.id
    for cat, recs in out_summary.records().items():
        link = REGISTRY[cat].link
        for rec in recs:
            target = getattr(rec, link) if link else None
            if link and target:
                setattr(rec, link, renamed.get(target, target))
    return out_summary


def merge_scores(
    cases: list[GoldCase], predictions: list[ArticleSummary | None], timelines: list[GoldTimeline]
) -> list[MergeScore]:
    """For each gold timeline whose articles were all scored, the merge scores of the timeline built from the
    predictions (a failed article contributes nothing)."""
    by_id = {c.id: c for c in cases}
    predicted = {c.id: p for c, p in zip(cases, predictions, strict=True) if p is not None}
    out = []
    for gold in timelines:
        if not all(a in by_id for a in gold.articles):
            continue
        summaries = [(a, predicted[a]) for a in gold.articles if a in predicted]
        out.append(score_merging(build_timeline(summaries), gold, by_id, dict(summaries)))
    return out


def load_gold_timelines(folder: Path, cases: list[GoldCase]) -> list[GoldTimeline]:
    """Every ``*.json`` gold timeline in ``folder`` (none if it does not exist): each must be a valid timeline
    (:class:`GoldFormatError` otherwise); one naming an article the cases lack is skipped (an eval run over some
    articles, ``--only``), the others are checked against ``cases`` by :func:`load_gold_timeline`."""
    by_id = {c.id: c for c in cases}
    timelines = [(path, _parse(path)) for path in (sorted(folder.glob("*.json")) if folder.is_dir() else [])]
    return [check_gold_timeline(t, path, by_id) for path, t in timelines if all(a in by_id for a in t.articles)]
