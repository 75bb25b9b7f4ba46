"""Quality against speed for each pipeline, from committed run logs (no model call): the Pareto front.

    python bench/front.py evals/runs/*-replay-*.json

Prints a markdown table: micro F1 per category and overall, mean field accuracy over matched pairs, grounding
rate, spurious records per negative article, median model seconds and tokens per article, and whether the run is
on the front (no other run is both at least as accurate overall and at least as fast, and better in one).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from summarizer.eval import report, runlog


def main() -> None:
    logs = [runlog.load(Path(p)) for p in sys.argv[1:]]
    if not logs:
        sys.exit("usage: python bench/front.py RUN.json [RUN.json ...]")
    rows = []
    for log in logs:
        s, m = log.scores, report.metrics(log.scores)
        fields = [f.accuracy for c in s.categories.values() for f in c.fields.values() if f.support]
        rows.append({
            "pipeline": log.pipeline, "f1": m["overall.f1"], **{c: m[f"{c}.f1"] for c in s.categories},
            "fields": statistics.fmean(fields) if fields else 0.0, "grounded": m["grounding_rate"],
            "neg_fp": m["negative_fp_per_article"], "seconds": m["seconds_median"], "tokens": m["tokens_per_article"],
            "out_tokens": s.completion_tokens / max(1, s.articles),
        })  # fmt: skip
    for r in rows:
        r["front"] = not any(
            o is not r and o["f1"] >= r["f1"] and o["seconds"] <= r["seconds"]
            and (o["f1"] > r["f1"] or o["seconds"] < r["seconds"]) for o in rows
        )  # fmt: skip
    cols = ["pipeline", "trips", "summits", "commitments", "skepticism", "f1", "fields", "grounded", "neg_fp",
            "seconds", "tokens", "out_tokens", "front"]  # fmt: skip
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in sorted(rows, key=lambda r: -r["f1"]):
        cells = [f"{r[c]:.3f}" if isinstance(r[c], float) and c not in ("seconds", "tokens", "out_tokens")
                 else f"{r[c]:.0f}" if c in ("tokens", "out_tokens") else f"{r[c]:.1f}" if c == "seconds"
                 else ("yes" if r[c] else "no") if c == "front" else str(r[c]) for c in cols]  # fmt: skip
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
