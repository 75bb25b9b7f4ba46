"""Quality against speed for each pipeline, from committed run logs (no model call): the Pareto front.

    python bench/front.py evals/runs/*-replay-*.json
    python bench/front.py --subset evals/runs/SCREEN.json evals/runs/A.json evals/runs/B.json
    python bench/front.py --exclude evals/runs/SCREEN.json evals/runs/A.json evals/runs/B.json

Prints a markdown table: micro F1 per category and overall, precision and recall, recall by article quarter,
mean field accuracy over matched pairs, grounding rate, spurious records per negative article, median model
seconds and tokens per article, and whether the run is on the front (no other run is both at least as accurate
overall and at least as fast, and better in one). Every log is re-scored with the current scorer and gold;
``--subset LOG`` first keeps only the articles of that log (a screening run), so runs over the full set and
runs over a subset compare on the same articles; ``--exclude LOG`` drops a screening run's articles, so what is
reported was not used to choose anything.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path
from typing import Any

from summarizer.eval import report, runlog
from summarizer.eval.gold import load_gold_dir
from summarizer.eval.runner import rescore

ROOT = Path(__file__).resolve().parent.parent
COLS = ["run", "pipeline", "n", "trips", "summits", "commitments", "skepticism", "P", "R", "f1", "quarters",
        "fields", "grounded", "neg_fp", "seconds", "tokens", "out_tokens", "front"]  # fmt: skip


def row(
    path: Path, subset: runlog.RunLog | None, exclude: list[runlog.RunLog], cases: dict[str, Any]
) -> dict[str, object]:
    log = runlog.load(path).restricted(subset, exclude)
    s = rescore(log, [cases[r.id] for r in log.cases]).scores
    m = report.metrics(s)
    fields = [f.accuracy for c in s.categories.values() for f in c.fields.values() if f.support]
    quarters = " / ".join("–" if r is None else f"{r:.2f}" for r in s.recall_by_quarter)
    return {
        "run": path.stem[:15], "pipeline": log.pipeline, "n": s.articles,
        **{c: m[f"{c}.f1"] for c in s.categories}, "P": s.overall.precision, "R": s.overall.recall,
        "f1": m["overall.f1"], "quarters": quarters, "fields": statistics.fmean(fields) if fields else 0.0,
        "grounded": m["grounding_rate"], "neg_fp": m["negative_fp_per_article"], "seconds": m["seconds_median"],
        "tokens": m["tokens_per_article"], "out_tokens": s.completion_tokens / max(1, s.articles),
    }  # fmt: skip


def cell(name: str, value: object) -> str:
    if name == "front":
        return "yes" if value else "no"
    if name in ("tokens", "out_tokens"):
        return f"{value:.0f}"
    if name == "seconds":
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logs", type=Path, nargs="+")
    parser.add_argument("--subset", type=Path, help="keep only the articles of this run log")
    parser.add_argument(
        "--exclude", type=Path, action="append", default=[],
        help="drop the articles of this run log (a screening run: what remains is held out); repeatable",
    )  # fmt: skip
    args = parser.parse_args()
    cases = {c.id: c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT)}  # read and validated once
    subset = runlog.load(args.subset) if args.subset is not None else None
    exclude = [runlog.load(p) for p in args.exclude]
    rows = [row(p, subset, exclude, cases) for p in args.logs]
    for r in rows:
        r["front"] = not any(
            o is not r and o["f1"] >= r["f1"] and o["seconds"] <= r["seconds"]  # type: ignore[operator]
            and (o["f1"] > r["f1"] or o["seconds"] < r["seconds"]) for o in rows  # type: ignore[operator]
        )  # fmt: skip
    print("| " + " | ".join(COLS) + " |")
    print("|" + "---|" * len(COLS))
    for r in sorted(rows, key=lambda r: -float(r["f1"])):  # type: ignore[arg-type]
        print("| " + " | ".join(cell(c, r[c]) for c in COLS) + " |")


if __name__ == "__main__":
    main()
