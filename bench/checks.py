"""The check's threshold per category for a detect-family pipeline, chosen on screening articles by replay.

    python bench/checks.py --pipeline sift --subset evals/runs/SCREEN.json

Each record the fill writes is checked (one token, Y or N, with its log-probabilities) and kept when P(Y) reaches
its category's threshold (:data:`summarizer.plans.VERIFY`, or the plan's own ``verify``). This replays the
pipeline's committed cassettes (no model call) with every threshold at 0, so the output holds every record the merge
and the cue and anchor rules kept, with its P(Y) as ``score``; then, for each category and threshold, keeps the
records that reach it and scores them with the project's scorer. Names, roles and links were resolved with every
record present, so a sweep approximates a replay at that threshold: confirm a choice with a real replay. It prints
micro TP/FP/FN and F1 per threshold on the ``--subset`` articles (where a threshold is chosen) and on the others
(held out), and the threshold with the best F1 on the subset, ties to the lowest. Checks are asked whatever the
threshold, so any choice replays from the same cassettes."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from summarizer import Settings, plans
from summarizer.eval import runlog
from summarizer.eval.gold import GoldCase, load_gold_dir
from summarizer.eval.replay import recorded_cases
from summarizer.eval.runner import run_cases
from summarizer.eval.score import PRF, score
from summarizer.schemas import CATEGORIES, ArticleSummary

ROOT = Path(__file__).resolve().parent.parent
GRID = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9)


def counts(cases: list[GoldCase], preds: list[ArticleSummary | None], category: str, least: float) -> PRF:
    def keep(p: ArticleSummary) -> ArticleSummary:
        return p.model_copy(update={category: [r for r in getattr(p, category) if (r.score or 0) >= least]})

    kept = [None if p is None else keep(p) for p in preds]
    return score(cases, kept).categories[category].micro


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipeline", default="sift", choices=[k for k, p in plans.PLANS.items() if p.window])
    parser.add_argument("--subset", type=Path, required=True, help="the screening run log: thresholds chosen here")
    args = parser.parse_args()
    chosen = {r.id for r in runlog.load(args.subset).cases}
    folder = ROOT / "cassettes" / "eval" / args.pipeline
    every = load_gold_dir(ROOT / "evals" / "gold", ROOT)
    cases = recorded_cases(every, folder)
    if len(cases) < len(every):
        print(f"{len(every) - len(cases)} gold articles have no cassette in {folder}: left out")
    plan = plans.PLANS[args.pipeline]
    own = dict(plan.verify or plans.VERIFY)
    plans.PLANS[args.pipeline] = replace(plan, verify=dict.fromkeys(CATEGORIES, 0.0))  # keep every record
    records = run_cases(cases, Settings(pipeline=args.pipeline), live=False, cassette_dir=folder)
    parts = {
        "subset": [(c, r.prediction) for c, r in zip(cases, records, strict=True) if c.id in chosen],
        "held out": [(c, r.prediction) for c, r in zip(cases, records, strict=True) if c.id not in chosen],
    }
    best: dict[str, float] = {}
    for cat in CATEGORIES:
        print(f"{cat} (the pipeline's own threshold: {own[cat]})")
        rows = {}
        for least in GRID:
            rows[least] = {
                name: counts([c for c, _ in cp], [p for _, p in cp], cat, least) for name, cp in parts.items()
            }
            cells = "  ".join(
                f"{name} {c.tp}/{c.fp}/{c.fn} F1 {c.f1:.3f}" for name, c in rows[least].items()
            )  # fmt: skip
            print(f"  P(Y) ≥ {least:.1f}: {cells}")
        best[cat] = max(GRID, key=lambda t: (rows[t]["subset"].f1, -t))
    print("chosen on the subset: " + ", ".join(f"{cat} {t}" for cat, t in best.items()))


if __name__ == "__main__":
    main()
