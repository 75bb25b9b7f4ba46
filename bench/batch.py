"""Batch runs over the 33 gold articles, replayed from the committed recordings: throughput, overhead, cache, size.

The 33 articles (with their gold publication dates) are written as one JSONL file in a temporary folder, and
``run_batch`` runs them into a new store, answering every model call from ``cassettes/eval/PIPELINE``, exactly
as ``summarize batch.jsonl --replay cassettes/eval/PIPELINE`` does. Printed, for ``--repeat`` runs (medians):

- articles per second of a fresh run, and the share of its wall time spent outside the articles' summarize calls
  (reading inputs, computing the cache key, the cache lookups and the store's transactions: the batch machinery
  a live run adds to the model's time; inside are vcrpy answering the recorded calls, grounding and normalizing);
- the wall time of the same run again, every article served from the store (zero model calls, checked);
- the store's size per 1,000 articles (file size after the first run, scaled).

Run: ``python bench/batch.py [--pipeline cited] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from summarizer.batch import run_batch
from summarizer.config import Settings
from summarizer.eval.gold import batch_record, load_gold_dir
from summarizer.eval.replay import cassette_path, make_vcr
from summarizer.eval.runner import replay_settings
from summarizer.inputs import ArticleInput, read_inputs
from summarizer.store import RunStore


def gold_jsonl(folder: Path) -> Path:
    """The gold articles as JSONL records ``{id, text, published}``."""
    path = folder / "gold.jsonl"
    path.write_text("".join(map(batch_record, load_gold_dir(Path("evals/gold"), Path(".")))), encoding="utf-8")
    return path


def one_run(jsonl: Path, db: Path, pipeline: str) -> tuple[float, float, int, int]:
    """Wall seconds, seconds inside the model calls, articles summarized, articles served from the store."""
    settings = replay_settings(Settings(pipeline=pipeline))  # type: ignore[arg-type]
    recorder = make_vcr("none")
    inside = [0.0]
    folder = Path("cassettes/eval") / pipeline

    class Timed:
        def __init__(self, item: ArticleInput) -> None:
            self.cm = recorder.use_cassette(str(cassette_path(folder, item.id)))

        def __enter__(self) -> object:
            self.t0 = time.perf_counter()
            return self.cm.__enter__()

        def __exit__(self, *exc: object) -> None:
            self.cm.__exit__(*exc)
            inside[0] += time.perf_counter() - self.t0

    t0 = time.perf_counter()
    with RunStore(db) as store:
        report = run_batch(read_inputs([str(jsonl)]), settings, store, around=Timed)
    return time.perf_counter() - t0, inside[0], report.done, report.cached


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pipeline", default="cited")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    fresh, outside, again, sizes = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = gold_jsonl(Path(tmp))
        for k in range(args.repeat):
            db = Path(tmp) / f"runs-{k}.db"
            wall, inside, done, cached = one_run(jsonl, db, args.pipeline)
            assert cached == 0, cached
            fresh.append(done / wall)
            outside.append((wall - inside) / wall)
            sizes.append(db.stat().st_size / done * 1000 / 1e6)
            wall2, inside2, done2, cached2 = one_run(jsonl, db, args.pipeline)
            assert cached2 == done2 == done and inside2 == 0.0, (cached2, done2, inside2)  # zero model calls
            again.append(wall2)
    print(f"pipeline {args.pipeline}, {done} articles, {args.repeat} runs (medians)")
    print(f"fresh run: {statistics.median(fresh):.1f} articles/s; "
          f"{statistics.median(outside) * 100:.0f} % of wall time outside the model calls")  # fmt: skip
    print(f"same run again, all {done} from the store, 0 model calls: {statistics.median(again):.2f} s")
    print(f"store size: {statistics.median(sizes):.1f} MB per 1,000 articles")


if __name__ == "__main__":
    main()
