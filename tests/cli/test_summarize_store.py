"""Batch runs into the run store: error rows, the cache that makes a second run free, SQL over the store,
bounded concurrency, and eval runs in the same store (rules: summarizer/batch.py, summarizer/store.py).

The 33 gold articles run from the committed recordings of the real embedded model (``--replay``), as JSONL
records with their gold publication dates, so the requests equal the recorded ones."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app, summarize_app
from summarizer.eval.gold import batch_record, load_gold_dir

from ..fake_openai import FakeEndpoint, reply
from ..support.paths import ROOT

runner = CliRunner()
CASSETTES = ROOT / "cassettes" / "eval" / "cited"


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_BASE_URL", "SUMMARIZER_API_KEY"):
        monkeypatch.delenv(k, raising=False)


@pytest.fixture(scope="module")
def gold_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """31 of the gold articles as JSONL records, and a line with no text (a bad input)."""
    path = tmp_path_factory.mktemp("batch") / "gold.jsonl"
    with path.open("w", encoding="utf-8") as f:
        f.writelines(map(batch_record, load_gold_dir(ROOT / "evals/gold", ROOT)[:31]))
        f.write(json.dumps({"id": "no-text", "published": "2018-10-01"}) + "\n")
    return path


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def cli(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(summarize_app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_a_33_article_batch_with_two_bad_inputs_stores_31_summaries_and_2_error_rows(
    gold_jsonl: Path, tmp_path: Path
) -> None:
    db, missing = tmp_path / "runs.db", tmp_path / "missing.txt"
    code, out, err = cli(str(gold_jsonl), str(missing), "--replay", str(CASSETTES), "--db", str(db), "-f", "jsonl")
    assert code == 1  # some failed, the others done
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"Error: {gold_jsonl}:32: ") and "text" in lines[0]
    assert lines[1] == f"Error: {missing}: no such file"
    assert len(out.splitlines()) == 31
    assert query(db, "select count(*) from results") == [(31,)]
    assert query(db, "select source, error_type from errors order by source") == [
        (f"{gold_jsonl}:32", "InputError"), (str(missing), "InputError")
    ]  # fmt: skip
    (run,) = query(db, "select status, articles, failed, cached, prompt_tokens > 0 from runs")
    assert run == ("finished", 33, 2, 0, 1)
    counts = dict(query(db, "select 'c', count(*) from commitments union all select 't', count(*) from trips"))
    assert counts["c"] > 0 and counts["t"] > 0


def test_a_second_run_is_served_from_the_store_with_zero_model_calls(gold_jsonl: Path, tmp_path: Path) -> None:
    db, empty = tmp_path / "runs.db", tmp_path / "no-recordings"
    empty.mkdir()
    first = cli(str(gold_jsonl), "--replay", str(CASSETTES), "--db", str(db), "-f", "jsonl")
    # No recordings at all: any model call would fail its article. Every article comes from the store.
    again = cli(str(gold_jsonl), "--replay", str(empty), "--db", str(db), "-f", "jsonl")
    assert again[0] == first[0] == 1 and again[1] == first[1]  # the same output, line for line
    last = "(select id from runs order by started desc limit 1)"
    assert query(db, f"select count(*), sum(cached) from results where run_id = {last}") == [(31, 31)]
    assert query(db, f"select prompt_tokens, completion_tokens, cached from runs where id = {last}") == [(0, 0, 31)]
    # --no-cache calls the model for every article: with no recordings each one fails
    code, out, _ = cli(str(gold_jsonl), "--replay", str(empty), "--db", str(db), "-f", "jsonl", "--no-cache")
    assert (code, out) == (2, "")  # the first failure's code: the bad record's
    misses = query(db, f"select count(*) from errors where error_type = 'ReplayMissError' and run_id = {last}")
    assert misses == [(31,)]


def test_the_store_answers_sql_as_the_readme_shows(gold_jsonl: Path, tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    cli(str(gold_jsonl), "--replay", str(CASSETTES), "--db", str(db), "-f", "jsonl")
    (n,) = query(db, "select count(*) from commitments")[0]
    assert n == sum(len(json.loads(s)["commitments"]) for (s,) in query(db, "select summary from results"))
    if shutil.which("sqlite3"):
        done = subprocess.run(["sqlite3", str(db), "select count(*) from commitments"], capture_output=True, text=True)
        assert done.stdout.strip() == str(n)
    spans = query(db, "select s.quote, s.start, s.end, a.id from spans s join articles a on a.id = s.article_id "
                      "where s.category = 'trips' limit 5")  # fmt: skip
    texts = {c.id: c.article.text for c in load_gold_dir(ROOT / "evals/gold", ROOT)}
    assert spans and all(texts[a][start:end] == quote for quote, start, end, a in spans)


def test_remote_articles_run_concurrently_up_to_the_bound(tmp_path: Path) -> None:
    files = [tmp_path / f"{k}.txt" for k in range(8)]
    for k, f in enumerate(files):
        f.write_text(f"Foreign Minister Anna Berg will travel to Oslo on trip number {k}, the ministry said.")
    lock, state = threading.Lock(), {"now": 0, "peak": 0}

    def slow(h: Any) -> None:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.3)
        with lock:
            state["now"] -= 1
        reply()(h)

    with FakeEndpoint([slow] * 8) as fake:
        code, out, err = cli(*map(str, files), "--base-url", fake.url, "-f", "jsonl", "--concurrency", "4",
                             "--db", str(tmp_path / "runs.db"))  # fmt: skip
    assert (code, err) == (0, "")
    assert sorted(json.loads(x)["source"] for x in out.splitlines()) == sorted(map(str, files))
    assert 1 < state["peak"] <= 4


def test_eval_can_record_its_run_in_the_same_store(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    r = runner.invoke(app, ["eval", "--only", "seed-000", "--only", "seed-001", "--no-save", "--db", str(db)])
    assert r.exit_code == 0, r.stderr
    assert query(db, "select command, articles from runs") == [("eval (replay)", 2)]
    assert query(db, "select count(*) from results") == [(2,)]
    # the recorded eval run is the cache of the same articles summarized with the same settings
    jsonl = tmp_path / "two.jsonl"
    cases = {c.id: c for c in load_gold_dir(ROOT / "evals/gold", ROOT)}
    jsonl.write_text("".join(batch_record(cases[i]) for i in ("seed-000", "seed-001")), encoding="utf-8")
    empty = tmp_path / "none"
    empty.mkdir()
    code, out, _ = cli(str(jsonl), "--replay", str(empty), "--db", str(db), "-f", "jsonl")
    assert code == 0 and len(out.splitlines()) == 2
