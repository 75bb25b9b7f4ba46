"""Seconds and tokens per seed article with the embedded model (or any endpoint in the environment).

    python bench/seeds.py [--pipeline NAME] [--repeat N]

Starts one backend (for the embedded default: one llama.cpp server; its start-up is timed separately), then
summarizes the three seed articles in order, N times, and prints per-article wall seconds, tokens in/out,
records and grounding, then the median seconds per article. The first article of a server pays for the
instruction/schema prefix; later ones reuse llama.cpp's prompt cache, so both cold and warm figures are shown.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from summarizer import Settings, Summarizer
from summarizer.eval.gold import load_gold_dir

ROOT = Path(__file__).resolve().parent.parent
SEED_IDS = ("seed-000", "seed-001", "seed-002")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipeline", default=None)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    settings = Settings(**({"pipeline": args.pipeline} if args.pipeline else {}))
    cases = {c.id: c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT)}  # articles with their gold dates
    articles = [cases[k].article for k in SEED_IDS]
    t0 = time.perf_counter()
    with Summarizer(settings) as s:
        s.open()
        print(f"backend ready in {time.perf_counter() - t0:.1f} s ({settings.backend}, pipeline {settings.pipeline})")
        rows = []
        for rnd in range(args.repeat):
            for art in articles:
                t = time.perf_counter()
                r = s.summarize_article(art)
                secs = time.perf_counter() - t
                assert r.meta is not None
                n = sum(len(v) for v in r.records().values())
                rows.append(secs)
                print(
                    f"round {rnd + 1} {Path(art.source).stem}: {secs:6.1f} s  tokens in {r.meta.usage.prompt_tokens:5d}"
                    f"  out {r.meta.usage.completion_tokens:4d}  calls {r.meta.usage.calls}  records {n:2d}"
                    f"  grounded {r.grounding_rate:.2f}"
                )
    print(
        f"median {statistics.median(rows):.1f} s per article over {len(rows)} runs; "
        f"first (cold prefix) {rows[0]:.1f} s; median of the rest {statistics.median(rows[1:] or rows):.1f} s"
    )


if __name__ == "__main__":
    main()
