"""Where a run's required gold records are lost, from its run log (no model call).

    python bench/misses.py evals/runs/RUN.json [--exclude evals/runs/SCREEN.json]

For each category, every required gold record is one of: matched (the scorer paired it); a record cites its
evidence but names another who (traveler, participants, actor or holder: the scorer's same-who rule fails); a
record cites its evidence with the same who but the key fields differ too much; or no record cites its evidence
(detection or the fill never wrote it). A record cites the evidence when its aligned spans cover more than half of
a gold quote or the other way round (:func:`summarizer.eval.match.evidence_overlap`). With ``--who`` it also
prints, per record of the second kind, the gold's who and the prediction's.

For a pipeline of :data:`summarizer.plans.PLANS` that scores every sentence (``meta.sentence_scores``), the last
kind is split by where the record was lost: the article was taken as off topic (``Plan.topic``); no evidence
sentence reached the category's flag threshold (detection); one did, but the fill was not shown it (``Plan.top`` or
the cue rule: :func:`summarizer.detect.shown_sentences`); or the fill was shown it and no record on it was written
or survived the check. The split reads today's plan (thresholds, ``top``, ``topic``), not the one the run used, and
leaves out articles run in chunks (their sentence numbers overlap).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from summarizer.categories import REGISTRY
from summarizer.detect import flagged_sentences, shown_sentences
from summarizer.eval import runlog
from summarizer.eval.gold import GoldCase, load_gold_dir
from summarizer.eval.match import evidence_overlap, evidence_sentences, gold_spans, pred_spans, same_actor
from summarizer.eval.score import score_case
from summarizer.guard import screen
from summarizer.plans import PLANS, Plan
from summarizer.schemas import CATEGORIES, RunMeta

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("matched", "record on its evidence, another who", "record on its evidence, other key", "no record on it")
STAGES = ("off topic", "not flagged", "flagged, not shown", "shown, no record kept")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--exclude", type=Path, action="append", default=[], help="drop this run log's articles")
    parser.add_argument("--who", action="store_true", help="print each record that names another who")
    args = parser.parse_args()
    log = runlog.load(args.log).restricted(None, [runlog.load(p) for p in args.exclude])
    plan = PLANS.get(log.pipeline)
    plan = plan if plan is not None and plan.window > 0 else None  # it scores every sentence
    cases = {c.id: c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT)}
    tally: dict[str, Counter[str]] = {cat: Counter() for cat in CATEGORIES}
    for rec in log.cases:
        case, pred = cases[rec.id], rec.prediction
        if pred is None:
            continue
        scored = score_case(case, pred)
        for cat in CATEGORIES:
            matched = {p.gold for p in scored.pairs[cat]}
            for i, gold in enumerate(case.gold.records()[cat]):
                if gold.optional:
                    continue
                if i in matched:
                    tally[cat][KINDS[0]] += 1
                    continue
                where = gold_spans(case.article.text, gold.evidence)
                on = [r for r in getattr(pred, cat) if evidence_overlap(pred_spans(r), where) > 0.5]
                if not on:
                    tally[cat][KINDS[3]] += 1
                    if plan is not None and pred.meta is not None and pred.meta.chunks == 1:
                        tally[cat][_stage(plan, cat, case, pred.meta, gold.evidence)] += 1
                elif any(same_actor(cat, r, gold) for r in on):
                    tally[cat][KINDS[2]] += 1
                else:
                    tally[cat][KINDS[1]] += 1
                    if args.who:
                        who = REGISTRY[cat].who
                        print(
                            f"{cat} {rec.id}: gold {getattr(gold, who)!r}, predicted {[getattr(r, who) for r in on]!r}"
                        )
    kinds = KINDS + STAGES if any(tally[cat][s] for cat in CATEGORIES for s in STAGES) else KINDS
    print(f"{log.pipeline}, {len(log.cases)} articles: required gold records by what became of them")
    print("| category | " + " | ".join(kinds) + " |")
    print("|---" * (len(kinds) + 1) + "|")
    for cat in CATEGORIES:
        print(f"| {REGISTRY[cat].name} | " + " | ".join(str(tally[cat][k]) for k in kinds) + " |")
    if kinds != KINDS:
        print(f"(the last four split '{KINDS[3]}' by where it was lost)")


def _stage(plan: Plan, cat: str, case: GoldCase, meta: RunMeta, quotes: list[str]) -> str:
    """Where a gold record no prediction cites was lost (:data:`STAGES`). Sentence numbers are 1-based, as the
    model sees them."""
    if plan.topic is not None and meta.topic_scores and max(meta.topic_scores) < plan.topic:
        return STAGES[0]
    text = case.article.text
    spans = screen(text).visible
    evidence = {n + 1 for n in evidence_sentences(text, spans, quotes)}
    scores = meta.sentence_scores or []
    shown = set(shown_sentences(plan, cat, scores, [text[slice(*sp)] for sp in spans]))
    if not evidence & set(flagged_sentences(plan, cat, scores)):
        return STAGES[1]
    return STAGES[2] if not evidence & shown else STAGES[3]


if __name__ == "__main__":
    main()
