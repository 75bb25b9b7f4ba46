"""Pairing predicted with gold records, one to one, per article and category.

Similarity of a (prediction, gold) pair, in [0, 1]:
``0.4 × evidence overlap + 0.6 × key-field similarity``, where evidence overlap is the best overlap coefficient
(shared characters ÷ the shorter span) between any predicted span and any gold quote's position in the article,
and the key fields are (``key`` in :data:`summarizer.categories.REGISTRY`): trip: traveler (name) and
destinations (set F1); summit: participants (set F1); commitment: actor (name) and action (fuzzy); skepticism:
holder (name) and target (fuzzy), each pair averaged.
A pair must also agree on who (:func:`same_actor`), whatever the evidence: the traveler, the actor or the holder
is the same name (:data:`~summarizer.names.SAME_NAME`), or more than half the summit participants are shared
(set F1 > 0.5), so a Pompeo–Kim meeting citing the sentence of the Trump–Kim summit is no pair. Pairs are chosen
by optimal assignment (scipy ``linear_sum_assignment``) maximizing total similarity; a pair below
:data:`MATCH_THRESHOLD`, or not the same actor, is no pair (such similarities count as 0 in the assignment).
Gold spans are found verbatim (the loader guarantees it).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..categories import REGISTRY
from ..schemas import OutputRecord, RecordFields

MATCH_THRESHOLD = 0.45
EVIDENCE_WEIGHT = 0.4


@dataclass(frozen=True)
class Pair:
    pred: int
    gold: int
    similarity: float


def gold_spans(article: str, quotes: list[str]) -> list[tuple[int, int]]:
    spans = []
    for q in quotes:
        start = article.find(q)
        if start >= 0:
            spans.append((start, start + len(q)))
    return spans


def evidence_sentences(article: str, sentences: list[tuple[int, int]], quotes: list[str]) -> set[int]:
    """The indexes of the sentences (``(start, end)`` spans of ``article``) that one of ``quotes`` overlaps."""
    where = gold_spans(article, quotes)
    return {i for i, (s, e) in enumerate(sentences) for qs, qe in where if s < qe and qs < e}


def pred_spans(rec: OutputRecord) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in getattr(rec, "spans", []) if s.start is not None and s.end is not None]


def evidence_overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> float:
    best = 0.0
    for s1, e1 in a:
        for s2, e2 in b:
            inter = min(e1, e2) - max(s1, s2)
            if inter > 0:
                best = max(best, inter / min(e1 - s1, e2 - s2))
    return best


def same_actor(category: str, pred: RecordFields, gold: RecordFields) -> bool:
    """Whether the two records are about the same who: a pair needs it (see the module docstring)."""
    return REGISTRY[category].same_who(pred, gold)


def similarity(category: str, pred: OutputRecord, gold: RecordFields, article: str) -> float:
    if not same_actor(category, pred, gold):
        return 0.0
    overlap = evidence_overlap(pred_spans(pred), gold_spans(article, gold.evidence))
    return EVIDENCE_WEIGHT * overlap + (1 - EVIDENCE_WEIGHT) * REGISTRY[category].key(pred, gold)


def match(
    category: str,
    preds: list[OutputRecord],
    golds: list[RecordFields],
    article: str,
    threshold: float = MATCH_THRESHOLD,
) -> list[Pair]:
    """Optimal one-to-one pairs with similarity ≥ ``threshold`` (order of the inputs does not matter)."""
    if not preds or not golds:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    sim = np.array([[similarity(category, p, g, article) for g in golds] for p in preds])
    sim = np.where(sim >= threshold, sim, 0.0)  # a pair below the threshold must not displace one above it
    rows, cols = linear_sum_assignment(sim, maximize=True)
    return [
        Pair(int(r), int(c), round(float(sim[r, c]), 4))
        for r, c in zip(rows, cols, strict=True)
        if sim[r, c] >= threshold
    ]
