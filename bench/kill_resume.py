"""Kill a batch run with SIGKILL at a random point, resume it, and check it ends with the uninterrupted run's rows.

The 33 gold articles (JSONL, as ``bench/batch.py`` writes them) are summarized by the real command,
``summarize gold.jsonl --replay cassettes/eval/PIPELINE --db STORE -f jsonl -o OUT``, in a child process:

1. once without interruption, into its own store: the reference rows;
2. ``--times`` times, each into a fresh store: the child is killed with SIGKILL after a random delay (uniform
   between the moment the reference run stored its first article and its end), the store is checked
   (``PRAGMA integrity_check``; every article the killed run recorded has all of its record rows: none
   half-written), and the same command
   is run again to the end. The resumed run's rows (records of every category, spans, actors and errors, without
   run ids and timestamps) must equal the reference run's.

Prints, per kill, when it struck, how many articles the killed run had finished, how many the resumed run served
from the store, and whether the rows are equal; exits 1 if any check fails.

Run: ``python bench/kill_resume.py [--times 5] [--pipeline cited] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch import gold_jsonl  # bench/batch.py

from summarizer.categories import REGISTRY

ROW_TABLES = (*REGISTRY, "spans", "actors", "errors")
VOLATILE = {"run_id", "created"}


def command(jsonl: Path, db: Path, out: Path, pipeline: str) -> list[str]:
    cassettes = str(Path("cassettes/eval") / pipeline)
    return [sys.executable, "-m", "summarizer", "summarize", str(jsonl), "--replay", cassettes, "--db", str(db),
            "-f", "jsonl", "-o", str(out), "--pipeline", pipeline]  # fmt: skip


def first_result(cmd: list[str], db: Path, env: dict[str, str]) -> float:
    """Run ``cmd`` to its end; when (``perf_counter``) its first article was stored."""
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = None
    while child.poll() is None:
        if first is None and db.exists():
            with sqlite3.connect(db) as conn:
                tables = {r[0] for r in conn.execute("select name from sqlite_master")}
                if "results" in tables and conn.execute("select count(*) from results").fetchone()[0]:
                    first = time.perf_counter()
        time.sleep(0.02)
    if child.returncode:
        raise SystemExit(f"the reference run failed (exit {child.returncode})")
    return first if first is not None else time.perf_counter()


def last_run(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("select id from runs order by started desc limit 1").fetchone()[0])


def rows(db: Path, run_id: str) -> dict[str, list[str]]:
    """Every row of ``run_id`` in the row tables, without its run id and timestamps, as sorted JSON."""
    out = {}
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        for table in ROW_TABLES:
            got = conn.execute(f'select * from "{table}" where run_id = ?', (run_id,)).fetchall()
            out[table] = sorted(json.dumps({k: r[k] for k in r.keys() if k not in VOLATILE}) for r in got)  # noqa: SIM118
    return out


def whole(db: Path, run_id: str) -> bool:
    """Integrity check passes, and each article of the run has as many record rows as its stored summary."""
    with sqlite3.connect(db) as conn:
        if conn.execute("pragma integrity_check").fetchone()[0] != "ok":
            return False
        for article_id, summary in conn.execute("select article_id, summary from results where run_id = ?", (run_id,)):
            data = json.loads(summary)
            for cat in REGISTRY:
                n = conn.execute(
                    f'select count(*) from "{cat}" where run_id = ? and article_id = ?', (run_id, article_id)
                ).fetchone()[0]
                if n != len(data.get(cat, [])):
                    return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--times", type=int, default=5)
    ap.add_argument("--pipeline", default="cited")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    env = {**os.environ, "SUMMARIZER_DB": ""}
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jsonl = gold_jsonl(folder)
        ref_db, t0 = folder / "reference.db", time.perf_counter()
        first = first_result(command(jsonl, ref_db, folder / "ref.jsonl", args.pipeline), ref_db, env) - t0
        full = time.perf_counter() - t0
        reference = rows(ref_db, last_run(ref_db))
        print(f"reference run: {full:.1f} s (first article stored at {first:.1f} s), "
              f"{sum(map(len, reference.values()))} rows")  # fmt: skip
        for k in range(args.times):
            db, out = folder / f"killed-{k}.db", folder / f"out-{k}.jsonl"
            delay = first + rng.uniform(0.0, 1.0) * (full - first)
            child = subprocess.Popen(command(jsonl, db, out, args.pipeline), env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
            child.wait()
            killed = last_run(db) if db.exists() else None
            with sqlite3.connect(db) as conn:
                finished = conn.execute("select count(*) from results where run_id = ?", (killed,)).fetchone()[0]
            intact = killed is None or whole(db, killed)
            subprocess.run(command(jsonl, db, out, args.pipeline), check=True, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
            resumed = last_run(db)
            with sqlite3.connect(db) as conn:
                cached = conn.execute("select count(*) from results where run_id = ? and cached = 1",
                                      (resumed,)).fetchone()[0]  # fmt: skip
            same = rows(db, resumed) == reference
            lines = len(out.read_text(encoding="utf-8").splitlines())
            ok = intact and same and lines == 33
            failures += not ok
            print(
                f"kill {k + 1}: at {delay:.1f} s, {finished} articles finished and stored whole: {intact}; resumed "
                f"with {cached} from the store; rows equal to the reference: {same}; output lines {lines}"
            )
    print("all resumed runs equal the uninterrupted one" if not failures else f"{failures} check(s) failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
