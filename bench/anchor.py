"""The anchor rule of the ``detect`` pipeline, chosen from a run log without calling the model.

    python bench/anchor.py evals/runs/RUN-detect.json --subset evals/runs/SCREEN.json
    python bench/anchor.py evals/runs/RUN-detect.json --exclude evals/runs/SCREEN.json

For each floor in :data:`FLOORS`, every category's records are kept only if one sentence they cite scored at
least ``max(floor, the category's flag threshold)`` for that category (``meta.sentence_scores``), and the run is
scored again: P, R, F1, spurious records per negative article, and F1 per category. The rule changes no model
call, so choose the floor on a screening subset and read the held-out articles with ``--exclude``. Run it on a
log recorded before the rule (``summarizer.plans.ANCHOR``) was applied, or it only sees what the rule kept.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from summarizer.eval import runlog
from summarizer.eval.gold import GoldCase, load_gold_dir
from summarizer.eval.score import Scores, score
from summarizer.examples import LETTERS
from summarizer.guard import screen
from summarizer.plans import THRESHOLDS
from summarizer.schemas import ArticleSummary

ROOT = Path(__file__).resolve().parent.parent
FLOORS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6)


def anchored(prediction: ArticleSummary, case: GoldCase, floor: float) -> ArticleSummary:
    """``prediction`` keeping only the records one of whose sentences scored at least the floor."""
    spans = screen(case.article.text).visible
    scores = prediction.meta.sentence_scores if prediction.meta else None
    if not scores:
        return prediction
    kept = {}
    for cat, letter in LETTERS.items():
        least = max(floor, THRESHOLDS[1][cat])
        records = []
        for rec in getattr(prediction, cat):
            cited = {
                i for sp in rec.spans if sp.start is not None and sp.end is not None
                for i, (s, e) in enumerate(spans) if s < sp.end and sp.start < e
            }  # fmt: skip
            if max((scores[i][letter] for i in cited if i < len(scores)), default=0.0) >= least:
                records.append(rec)
        kept[cat] = records
    return prediction.model_copy(update=kept)


def rescored(log: runlog.RunLog, cases: dict[str, GoldCase], floor: float) -> Scores:
    kept = [r for r in log.cases if r.prediction is not None]
    golds = [cases[r.id] for r in kept]
    return score(golds, [anchored(r.prediction, cases[r.id], floor) for r in kept if r.prediction is not None])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--subset", type=Path, help="only the articles of this run log (choose on a screening set)")
    parser.add_argument("--exclude", type=Path, help="drop the articles of this run log (read the held-out rest)")
    args = parser.parse_args()
    log = runlog.load(args.log).restricted(
        runlog.load(args.subset) if args.subset is not None else None,
        [runlog.load(args.exclude)] if args.exclude is not None else [],
    )
    cases = {c.id: c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT)}
    print(f"{len(log.cases)} articles")
    print("| floor | P | R | F1 | spurious per negative | " + " | ".join(LETTERS) + " |")
    print("|---" * (5 + len(LETTERS)) + "|")
    for floor in FLOORS:
        s = rescored(log, cases, floor)
        cats = " | ".join(f"{s.categories[c].micro.f1:.3f}" for c in LETTERS)
        o, neg = s.overall, s.negative_fp_per_article
        print(f"| {floor} | {o.precision:.3f} | {o.recall:.3f} | {o.f1:.3f} | {neg:.2f} | {cats} |")


if __name__ == "__main__":
    main()
