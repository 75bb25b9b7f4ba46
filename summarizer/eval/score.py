"""Scoring predictions against gold.

Record level, per category: a matched pair (see :mod:`.match`) is a true positive; an unmatched prediction a
false positive; an unmatched *required* gold record a false negative. An ``optional`` gold record earns a true
positive when matched and costs nothing when missed. Micro scores pool counts over articles; macro F1 averages
per-article F1 over the articles where the category has a required gold record or a prediction. Articles whose
gold has no required record are *negatives*; their false positives are also reported on their own. A failed
article (no valid prediction) counts all its required gold as missed.
Recall by article quarter: each required gold record sits in the quarter of the article where its first evidence
quote starts; ``recall_by_quarter`` is the share of those found, per quarter (the lead against the rest).
Field level: mean field score (see :mod:`.fields`) over matched pairs, with the number of pairs as support.
Links (a trip's ``prepares``, a commitment's ``made_at``, a doubt's ``doubts``), on matched pairs whose gold or
prediction has a link: a predicted link is right when it points to the record matched with the gold link's
target; ``links`` counts right links (tp), other predicted links (fp) and gold links not predicted right (fn).
Actors: on matched pairs, whether the prediction names its who (traveler, participants, actor, holder) with the
gold's full name, equal under :func:`~summarizer.names.norm` (a stricter test than the matching's, which takes
"Trump" for "Donald Trump"). Places: on matched trips and summits whose gold names a place, whether the
prediction's ISO codes (``destination_codes``, ``location_code``) are the gold places' codes
(:func:`summarizer.places.place_code`), compared as sets. Timelines: for each gold timeline whose articles were
scored, how the timeline built from the predictions merges them (:mod:`.timeline`).
Summary: ROUGE-L F1 against the gold summary, and faithfulness, the share of the names and numbers the summary
mentions that occur in the article (reported, not gating).
"""

from __future__ import annotations

import re
import statistics

from pydantic import BaseModel, Field
from rapidfuzz.distance import LCSseq

from ..categories import REGISTRY
from ..names import norm
from ..places import place_code
from ..schemas import CATEGORIES, ArticleSummary, Summit, Trip
from .gold import GoldCase
from .match import gold_spans, match
from .timeline import GoldTimeline, MergeScore, merge_scores


class Counts(BaseModel):
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn)


class PRF(BaseModel):
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, c: Counts) -> PRF:
        return cls(
            tp=c.tp, fp=c.fp, fn=c.fn, precision=round(c.precision, 4), recall=round(c.recall, 4), f1=round(c.f1, 4)
        )


class PairResult(BaseModel):
    pred: int
    gold: int
    similarity: float
    optional: bool
    fields: dict[str, float]


class CaseScore(BaseModel):
    """One article's matching outcome."""

    id: str
    negative: bool
    failed: bool
    counts: dict[str, Counts]
    pairs: dict[str, list[PairResult]]
    rouge_l: float | None = None
    faithfulness: float | None = None
    quarters: list[tuple[int, int]] = Field(
        default_factory=list, description="per article quarter: (required gold records found, required gold records)"
    )
    links: dict[str, Counts] = Field(default_factory=dict, description="per linking category, on matched pairs")
    actor_names: list[float] = Field(default_factory=list, description="per matched pair: gold's full name used")
    place_codes: list[float] = Field(default_factory=list, description="per matched trip/summit with a gold place")

    @property
    def total(self) -> Counts:
        return sum(self.counts.values(), Counts())


class FieldScore(BaseModel):
    accuracy: float
    support: int


class CategoryScore(BaseModel):
    micro: PRF
    macro_f1: float
    fields: dict[str, FieldScore]


class Scores(BaseModel):
    articles: int
    categories: dict[str, CategoryScore]
    overall: PRF
    macro_f1: float
    negative_articles: int
    negative_false_positives: int
    negative_fp_per_article: float
    recall_by_quarter: list[float | None] = Field(default_factory=list)
    links: dict[str, PRF] = Field(default_factory=dict, description="link accuracy on matched pairs, per category")
    actor_names: FieldScore | None = None
    place_codes: FieldScore | None = None
    timelines: list[MergeScore] = Field(default_factory=list)
    rouge_l: float | None
    faithfulness: float | None
    grounding_rate: float
    ungrounded_records: int = 0  # the hallucination guard: records whose evidence is not in the article
    schema_valid_rate: float
    retries: int
    prompt_tokens: int
    completion_tokens: int
    seconds_median: float | None
    seconds_total: float
    per_article: list[CaseScore] = Field(default_factory=list)


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 on normalized word tokens (longest common subsequence, rapidfuzz's ``LCSseq``)."""
    a, b = norm(candidate).split(), norm(reference).split()
    if not a or not b:
        return 0.0
    lcs = LCSseq.similarity(a, b)
    if lcs == 0:
        return 0.0
    p, r = lcs / len(a), lcs / len(b)
    return 2 * p * r / (p + r)


_MENTION = re.compile(r"\b(?:[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z][\w’'.-]*)*|\d[\d,.]*)")
_SENTENCE_START_WORDS = frozenset(
    {
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "this",
        "that",
        "it",
        "he",
        "she",
        "they",
        "after",
        "while",
        "during",
        "following",
        "as",
        "but",
        "and",
        "however",
    }
)


def faithfulness(summary: str, article: str) -> float | None:
    """Share of the capitalized names and numbers in ``summary`` whose every word occurs in ``article``."""
    words = set(norm(article).split())
    mentions = [m for m in _MENTION.findall(summary) if norm(m) and norm(m) not in _SENTENCE_START_WORDS]
    if not mentions:
        return None
    ok = sum(all(w in words or w in _SENTENCE_START_WORDS for w in norm(m).split()) for m in mentions)
    return ok / len(mentions)


def quarter(article: str, quotes: list[str]) -> int:
    """The quarter (0-3) of ``article`` where the first of ``quotes`` starts."""
    spans = gold_spans(article, quotes[:1])
    start = spans[0][0] if spans else 0
    return min(3, start * 4 // max(1, len(article)))


def score_case(case: GoldCase, prediction: ArticleSummary | None) -> CaseScore:
    counts: dict[str, Counts] = {}
    quarters = [[0, 0] for _ in range(4)]
    pairs: dict[str, list[PairResult]] = {}
    golds_by_cat = case.gold.records()
    for cat in CATEGORIES:
        golds = golds_by_cat[cat]
        preds = list(getattr(prediction, cat)) if prediction else []
        found = match(cat, preds, golds, case.article.text)
        matched_gold = {p.gold for p in found}
        missed = sum(1 for i, g in enumerate(golds) if i not in matched_gold and not g.optional)
        counts[cat] = Counts(tp=len(found), fp=len(preds) - len(found), fn=missed)
        for i, g in enumerate(golds):
            if not g.optional:
                q = quarters[quarter(case.article.text, g.evidence)]
                q[0] += i in matched_gold
                q[1] += 1
        pairs[cat] = [
            PairResult(
                pred=p.pred,
                gold=p.gold,
                similarity=p.similarity,
                optional=golds[p.gold].optional,
                fields=REGISTRY[cat].compare_fields(preds[p.pred], golds[p.gold]),
            )
            for p in found
        ]
    links = _link_counts(case, prediction, pairs) if prediction is not None else {}
    names, places = _names_and_places(case, prediction, pairs) if prediction is not None else ([], [])
    rl = fa = None
    if prediction is not None:
        if case.gold.summary:
            rl = round(rouge_l(prediction.summary, case.gold.summary), 4)
        fa = faithfulness(prediction.summary, case.article.text)
    return CaseScore(
        id=case.id,
        negative=case.gold.is_negative,
        failed=prediction is None,
        counts=counts,
        pairs=pairs,
        rouge_l=rl,
        faithfulness=fa,
        quarters=[(found, total) for found, total in quarters],
        links=links,
        actor_names=names,
        place_codes=places,
    )


def _name_set(value: str | list[str]) -> set[str]:
    return {norm(x) for x in (value if isinstance(value, list) else [value])}


def _codes(places: list[str | None]) -> set[str | None]:
    return {place_code(x) for x in places if x} - {None}


def _names_and_places(
    case: GoldCase, prediction: ArticleSummary, pairs: dict[str, list[PairResult]]
) -> tuple[list[float], list[float]]:
    """Per matched pair, the actor-name and place-code agreements (rules: the module docstring)."""
    golds, preds = case.gold.records(), prediction.records()
    names: list[float] = []
    places: list[float] = []
    for cat, ps in pairs.items():
        who = REGISTRY[cat].who
        for p in ps:
            pred, gold = preds[cat][p.pred], golds[cat][p.gold]
            names.append(float(_name_set(getattr(pred, who)) == _name_set(getattr(gold, who))))
            if isinstance(pred, Trip):
                wanted, codes = _codes(gold.destinations), set(pred.destination_codes)
            elif isinstance(pred, Summit):
                wanted, codes = _codes([gold.location]), {pred.location_code}
            else:
                continue
            if wanted:
                places.append(float(codes - {None} == wanted))
    return names, places


def _link_counts(case: GoldCase, prediction: ArticleSummary, pairs: dict[str, list[PairResult]]) -> dict[str, Counts]:
    """Link counts per linking category (rule: the module docstring)."""
    golds, preds = case.gold.records(), prediction.records()
    gold_at = {r.id: (cat, i) for cat, rs in golds.items() for i, r in enumerate(rs) if r.id}
    pred_at = {r.id: (cat, i) for cat, rs in preds.items() for i, r in enumerate(rs) if r.id}
    matched = {(cat, p.pred): p.gold for cat, ps in pairs.items() for p in ps}
    out: dict[str, Counts] = {}
    for cat, ps in pairs.items():
        field = REGISTRY[cat].link
        if field is None:
            continue
        c = Counts()
        for p in ps:
            want, got = getattr(golds[cat][p.gold], field), getattr(preds[cat][p.pred], field)
            if want is None and got is None:
                continue
            target = pred_at.get(got) if got else None
            right = target is not None and want in gold_at and gold_at[want] == (target[0], matched.get(target, -1))
            c += Counts(tp=int(right), fp=int(bool(got) and not right), fn=int(bool(want) and not right))
        out[cat] = c
    return out


def _mean(xs: list[float]) -> float | None:
    return round(statistics.fmean(xs), 4) if xs else None


def aggregate(cases: list[CaseScore], predictions: list[ArticleSummary | None]) -> Scores:
    """Pool per-article scores into the run's scores."""
    categories = {}
    for cat in CATEGORIES:
        total = sum((c.counts[cat] for c in cases), Counts())
        per_article = [c.counts[cat].f1 for c in cases if c.counts[cat].tp + c.counts[cat].fp + c.counts[cat].fn]
        fields = {}
        for f in REGISTRY[cat].field_rules:
            vals = [p.fields[f] for c in cases for p in c.pairs[cat]]
            fields[f] = FieldScore(accuracy=round(statistics.fmean(vals), 4) if vals else 0.0, support=len(vals))
        categories[cat] = CategoryScore(micro=PRF.of(total), macro_f1=_mean(per_article) or 0.0, fields=fields)
    overall = sum((c.total for c in cases), Counts())
    negatives = [c for c in cases if c.negative]
    neg_fp = sum(c.total.fp for c in negatives)
    preds = [p for p in predictions if p is not None]
    records = [r for p in preds for rs in p.records().values() for r in rs]
    metas = [p.meta for p in preds if p.meta]
    secs = [m.seconds for m in metas]
    nonempty = [c.total.f1 for c in cases if c.total.tp + c.total.fp + c.total.fn]
    by_quarter: list[float | None] = []
    for q in range(4):
        hit = sum(c.quarters[q][0] for c in cases if c.quarters)
        of = sum(c.quarters[q][1] for c in cases if c.quarters)
        by_quarter.append(round(hit / of, 4) if of else None)
    links = {
        cat: PRF.of(sum((c.links[cat] for c in cases if cat in c.links), Counts()))
        for cat in CATEGORIES
        if REGISTRY[cat].link
    }
    names = [x for c in cases for x in c.actor_names]
    places = [x for c in cases for x in c.place_codes]
    return Scores(
        actor_names=FieldScore(accuracy=round(statistics.fmean(names), 4), support=len(names)) if names else None,
        place_codes=FieldScore(accuracy=round(statistics.fmean(places), 4), support=len(places)) if places else None,
        links=links,
        articles=len(cases),
        categories=categories,
        overall=PRF.of(overall),
        macro_f1=_mean(nonempty) or 0.0,
        negative_articles=len(negatives),
        negative_false_positives=neg_fp,
        negative_fp_per_article=round(neg_fp / len(negatives), 4) if negatives else 0.0,
        recall_by_quarter=by_quarter,
        rouge_l=_mean([c.rouge_l for c in cases if c.rouge_l is not None]),
        faithfulness=_mean([c.faithfulness for c in cases if c.faithfulness is not None]),
        grounding_rate=round(sum(r.grounded for r in records) / len(records), 4) if records else 1.0,
        ungrounded_records=sum(not r.grounded for r in records),
        schema_valid_rate=round(len(preds) / len(cases), 4) if cases else 0.0,
        retries=sum(m.usage.retries for m in metas),
        prompt_tokens=sum(m.usage.prompt_tokens for m in metas),
        completion_tokens=sum(m.usage.completion_tokens for m in metas),
        seconds_median=round(statistics.median(secs), 2) if secs else None,
        seconds_total=round(sum(secs), 2),
        per_article=cases,
    )


def score(
    cases: list[GoldCase], predictions: list[ArticleSummary | None], timelines: list[GoldTimeline] | None = None
) -> Scores:
    """Score predictions (aligned with ``cases`` by position; None for a failed article), and how they merge into
    the gold ``timelines``."""
    scores = aggregate([score_case(c, p) for c, p in zip(cases, predictions, strict=True)], predictions)
    scores.timelines = merge_scores(cases, predictions, timelines or [])
    return scores


__all__ = ["Counts", "Scores", "aggregate", "faithfulness", "rouge_l", "score", "score_case"]
