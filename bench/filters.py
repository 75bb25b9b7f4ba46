"""Program-side filters on a run log's records, scored on the screening articles and the held-out ones (no model call).

    python bench/filters.py evals/runs/RUN.json --subset evals/runs/SCREEN.json

Three rules a pipeline could apply after the check, each tried on the records the run log holds:

- ``place``: a trip is kept only if one of its destinations is a country or a place in one
  (:func:`summarizer.places.place_code`): the guide's trip goes abroad, and false trips name "every country he
  visits", "the NATO alliance" or a base at home.
- ``floor F``: a record is kept only if one of the sentences it cites scored at least F for its kind in detection
  (as the run's plan scores, from ``meta.sentence_scores``: :func:`summarizer.detect.anchor_scores`, the rule of
  ``detect``'s anchor): a confident sentence.
- ``top K``: a record is kept only if one of the sentences it cites is among the K highest scoring shown for its
  kind (:func:`summarizer.detect.shown_sentences` with the plan's cap set to K): a narrower cap, approximately (a
  record merged with one from a lower-ranked sentence was checked with both). ``sift-narrow``'s cap was chosen so.

It prints micro P/R/F1 overall and F1 per kind, with no filter and with each, on the ``--subset`` articles (where a
rule would be chosen) and on the others. Names and links were resolved with every record present, as in
``bench/checks.py``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from summarizer.articles import Article
from summarizer.detect import anchor_scores, shown_sentences
from summarizer.eval import runlog
from summarizer.eval.gold import load_gold_dir
from summarizer.eval.score import score
from summarizer.guard import screen
from summarizer.places import place_code
from summarizer.plans import PLANS
from summarizer.schemas import CATEGORIES, ArticleSummary

ROOT = Path(__file__).resolve().parent.parent
FLOORS = (0.5, 0.6, 0.7, 0.8, 0.9)
CAPS = (2, 3, 4)
Keep = Callable[[str, list[Any], ArticleSummary, Article], list[bool]]  # kind, records, prediction, article


def abroad(kind: str, records: list[Any], prediction: ArticleSummary, article: Article) -> list[bool]:
    return [kind != "trips" or any(place_code(d) for d in r.destinations) for r in records]


Scored = Callable[[str, list[Any], list[dict[str, float]], list[tuple[int, int]], Article, str], list[bool]]


def scored(rule: Scored) -> Keep:
    """A rule on the run's sentence scores: records of an article without them (or chunked) are all kept."""

    def keep(kind: str, records: list[Any], prediction: ArticleSummary, article: Article) -> list[bool]:
        meta = prediction.meta
        if meta is None or not meta.sentence_scores or meta.chunks != 1:
            return [True] * len(records)
        return rule(kind, records, meta.sentence_scores, screen(article.text).visible, article, meta.pipeline)

    return keep


def floor(least: float) -> Keep:
    def rule(kind: str, records: list[Any], scores: list[dict[str, float]], spans: list[tuple[int, int]],
             article: Article, pipeline: str) -> list[bool]:  # fmt: skip
        every = tuple(range(1, len(spans) + 1))
        return [b >= least for b in anchor_scores(article, spans, scores, every, kind, records, PLANS[pipeline])]

    return scored(rule)


def cap(top: int) -> Keep:
    def rule(kind: str, records: list[Any], scores: list[dict[str, float]], spans: list[tuple[int, int]],
             article: Article, pipeline: str) -> list[bool]:  # fmt: skip
        texts = [article.text[slice(*sp)] for sp in spans]
        plan = replace(PLANS[pipeline], top=top)
        shown = {texts[n - 1] for n in shown_sentences(plan, kind, scores, texts)}
        return [any(q in shown for q in r.evidence) for r in records]

    return scored(rule)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--subset", type=Path, required=True, help="the screening articles' run log")
    args = parser.parse_args()
    log = runlog.load(args.log)
    screening = {c.id for c in runlog.load(args.subset).cases}
    cases = {c.id: c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT)}
    rules: dict[str, Keep | None] = {"none": None, "place": abroad, **{f"floor {f}": floor(f) for f in FLOORS}}
    rules |= {f"top {k}": cap(k) for k in CAPS}
    for name, keep in rules.items():
        cells = []
        for part, inside in (("subset", True), ("held out", False)):
            golds, predictions = [], []
            for rec in (r for r in log.cases if (r.id in screening) == inside):
                case, pred = cases[rec.id], rec.prediction
                if pred is not None and keep is not None:
                    update = {}
                    for k in CATEGORIES:
                        records = getattr(pred, k)
                        update[k] = [
                            r for r, ok in zip(records, keep(k, records, pred, case.article), strict=True) if ok
                        ]
                    pred = pred.model_copy(update=update)
                golds.append(case)
                predictions.append(pred)
            s = score(golds, predictions)
            kinds = " ".join(f"{k} {s.categories[k].micro.f1:.3f}" for k in CATEGORIES)
            o = s.overall
            cells.append(f"{part}: P {o.precision:.3f} R {o.recall:.3f} F1 {o.f1:.3f} ({kinds})")
        print(f"{name:<10} " + "\n           ".join(cells))


if __name__ == "__main__":
    main()
