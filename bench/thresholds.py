"""Detection thresholds of the ``detect`` pipeline, chosen from a run log without calling the model.

    python bench/thresholds.py evals/runs/RUN-detect.json [--recall 0.9] [--subset evals/runs/SCREEN.json]

A run of the ``detect`` pipeline keeps, for every sentence shown to the model, the probability of each answer
letter (``meta.sentence_scores``). A gold record's evidence sentences are the sentences its quotes overlap. For
each category and threshold this prints the share of required gold records with at least one evidence sentence
flagged (record recall: what the fill step can still find), the share of all sentences flagged (what the fill
step must read and reject), and picks the highest threshold that keeps record recall at ``--recall``. With
``--versus-none`` a sentence's score for a category is its letter's probability against N alone (the ``scan``
pipeline's :func:`summarizer.plans.flag_score`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from summarizer.eval import runlog
from summarizer.eval.gold import load_gold_dir
from summarizer.eval.match import evidence_sentences
from summarizer.eval.score import score
from summarizer.examples import LETTERS
from summarizer.guard import screen
from summarizer.plans import flag_score
from summarizer.schemas import CATEGORIES

ROOT = Path(__file__).resolve().parent.parent
GRID = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--recall", type=float, default=0.9)
    parser.add_argument("--subset", type=Path, help="only the articles of this run log (choose on a screening set)")
    parser.add_argument(
        "--versus-none", action="store_true", help="score a category against N only: p(X) / (p(X) + p(N))"
    )
    args = parser.parse_args()
    log = runlog.load(args.log).restricted(runlog.load(args.subset) if args.subset is not None else None)
    cases = {c.id: c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT)}
    rows: dict[str, list[tuple[float, float, float]]] = {}
    for cat, letter in LETTERS.items():
        rows[cat] = []
        for t in GRID:
            found = total = flagged = sentences = 0
            for rec in log.cases:
                pred = rec.prediction
                if pred is None or pred.meta is None or not pred.meta.sentence_scores or pred.meta.chunks != 1:
                    continue
                text = cases[rec.id].article.text
                spans = screen(text).visible
                scores = pred.meta.sentence_scores
                hot = {i for i, p in enumerate(scores) if flag_score(p, letter, args.versus_none) >= t}
                flagged += len(hot)
                sentences += len(scores)
                for gold in cases[rec.id].gold.records()[cat]:
                    if gold.optional:
                        continue
                    evid = evidence_sentences(text, spans, gold.evidence)
                    total += 1
                    found += bool(evid & hot)
            rows[cat].append((t, found / total if total else 1.0, flagged / sentences if sentences else 0.0))
    print(f"{'category':<12} " + " ".join(f"{t:>11}" for t in GRID))
    for cat, vals in rows.items():
        print(f"{cat:<12} " + " ".join(f"{r:5.2f}/{f:5.2f}" for _, r, f in vals))
    print("(record recall / share of sentences flagged)\n")
    for cat, vals in rows.items():
        ok = [t for t, r, _ in vals if r >= args.recall]
        print(f"{cat}: highest threshold with record recall >= {args.recall}: {max(ok) if ok else 'none'}")
    checks(log, cases)


CHECK_GRID = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def checks(log: object, cases: dict[str, object]) -> None:
    """The check step: each record's ``score`` (P(Y) that its sentences report it). For each category and
    threshold, the micro P/R/F1 (the project's scorer) if the records scoring below it were dropped."""
    records = [r for r in log.cases if r.prediction is not None]  # type: ignore[attr-defined]
    if not any(x.score is not None for r in records for xs in r.prediction.records().values() for x in xs):
        return
    golds = [cases[r.id] for r in records]
    print(f"\n{'category':<12} " + " ".join(f"{t:>14}" for t in CHECK_GRID))
    for cat in CATEGORIES:
        cells = []
        for t in CHECK_GRID:
            preds = [
                r.prediction.model_copy(
                    update={cat: [x for x in getattr(r.prediction, cat) if x.score is None or x.score >= t]}
                )
                for r in records
            ]
            m = score(golds, preds).categories[cat].micro  # type: ignore[arg-type]
            cells.append(f"{m.precision:.2f}/{m.recall:.2f}/{m.f1:.2f}")
        print(f"{cat:<12} " + " ".join(f"{c:>14}" for c in cells))
    print("(P/R/F1 keeping records whose check score reaches the threshold)")


if __name__ == "__main__":
    main()
