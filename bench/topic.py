"""How well the topic question separates diplomatic articles from the rest, from a run log (no model call).

    python bench/topic.py evals/runs/RUN-sift-all.json [--exclude evals/runs/SCREEN.json]

A plan with ``topic`` (:data:`summarizer.plans.TOPIC`) asks first whether the article reports diplomacy between
governments and keeps P(Y) in ``meta.topic_scores`` (one per chunk, each chunk gated on its own; an article's score
here is its highest: none of the gold articles is run in chunks). This prints every article's score, lowest first,
with its number of required gold records (0: a negative article), then, at each threshold, how many negative
articles would pass (and could get spurious records) and how many positive articles, with how many required
records, would get none.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from summarizer.eval import runlog
from summarizer.eval.gold import load_gold_dir
from summarizer.plans import PLANS

ROOT = Path(__file__).resolve().parent.parent
GRID = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--exclude", type=Path, action="append", default=[], help="drop this run log's articles")
    args = parser.parse_args()
    log = runlog.load(args.log).restricted(None, [runlog.load(p) for p in args.exclude])
    cases = {c.id: c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT)}
    seen: list[tuple[float, str, int]] = []
    for rec in log.cases:
        meta = rec.prediction.meta if rec.prediction is not None else None
        if meta is None or not meta.topic_scores:
            continue
        gold = cases[rec.id].gold
        required = 0 if gold.is_negative else sum(not g.optional for rs in gold.records().values() for g in rs)
        seen.append((max(meta.topic_scores), rec.id, required))
    if not seen:
        raise SystemExit(f"{args.log}: no article has meta.topic_scores (run a plan with a topic question)")
    print("| P(Y) | article | required gold records |\n|---|---|---|")
    for p, name, required in sorted(seen):
        print(f"| {p:.3f} | {name} | {required} |")
    negatives = sum(1 for _, _, r in seen if r == 0)
    plan = PLANS.get(log.pipeline)
    print(f"\n{len(seen)} articles, {negatives} negative; {log.pipeline}'s threshold is {plan and plan.topic}")
    print("| threshold | negatives passed | positives with no records | their required records |\n|---|---|---|---|")
    for t in GRID:
        passed = sum(1 for p, _, r in seen if r == 0 and p >= t)
        lost = [r for p, _, r in seen if r > 0 and p < t]
        print(f"| {t} | {passed} of {negatives} | {len(lost)} | {sum(lost)} |")


if __name__ == "__main__":
    main()
