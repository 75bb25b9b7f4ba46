"""The run store (summarizer.store): tables from the registry, one transaction per article, the response cache."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest

from summarizer import store as store_mod
from summarizer.categories import REGISTRY
from summarizer.errors import ConfigError, OutputError
from summarizer.schemas import (
    Actor,
    ArticleSummary,
    Commitment,
    PromptRef,
    RunMeta,
    Skepticism,
    Span,
    Summit,
    Trip,
    Usage,
)
from summarizer.store import RunStore, column_type, table_specs

from .support.paths import ROOT

# An invented article; every quote below is a substring of it.
ARTICLE = (
    "Foreign Minister Mira Okafor will travel to Lumeria and Port Vessa next week. "
    "President Tal Brandt and Chancellor Ines Varga will meet in Port Vessa in May. "
    "Lumeria pledged to reopen its border crossings by June. "
    "Opposition leader Dov Hale doubted that the border would reopen on time."
)


def span(quote: str) -> Span:
    start = ARTICLE.index(quote)
    return Span(quote=quote, start=start, end=start + len(quote), method="exact", score=100.0)


def evidence(*quotes: str) -> dict[str, Any]:
    return {"evidence": list(quotes), "spans": [span(q) for q in quotes], "grounded": True}


TRIP_Q = "Foreign Minister Mira Okafor will travel to Lumeria and Port Vessa next week"
SUMMIT_Q = "President Tal Brandt and Chancellor Ines Varga will meet in Port Vessa in May"
PLEDGE_Q = "Lumeria pledged to reopen its border crossings by June"
DOUBT_Q = "Opposition leader Dov Hale doubted that the border would reopen on time"


def summary(*, pledges: int = 1, usage: Usage | None = None, with_ids: bool = True) -> ArticleSummary:
    """One trip (two spans), one summit, ``pledges`` commitments, one doubt and three actors."""
    # fmt: off
    trips = [Trip(id="T1" if with_ids else None, traveler="Mira Okafor", traveler_role="Foreign Minister",
                  destinations=["Lumeria", "Port Vessa"], destination_codes=["LUM", None], when="next week",
                  status="planned", prepares="S1", **evidence(TRIP_Q, "Port Vessa next week"))]
    summits = [Summit(id="S1", participants=["Tal Brandt", "Ines Varga"], location="Port Vessa", when="in May",
                      date="2019-05", date_granularity="month", status="planned", ordinal=2, **evidence(SUMMIT_Q))]
    commitments = [Commitment(id=f"C{i}" if with_ids else None, actor="Lumeria", action=f"reopen crossing {i}",
                              made_at=None, **evidence(PLEDGE_Q)) for i in range(1, pledges + 1)]
    doubts = [Skepticism(id="K1", holder="Dov Hale", target="reopening the border", reason="on time",
                         doubts="C1", score=0.75, **evidence(DOUBT_Q))]
    actors = [Actor(name="Mira Okafor", role="Foreign Minister", country="LUM", aliases=["Okafor"]),
              Actor(name="Tal Brandt", role="President"), Actor(name="Lumeria", country="LUM")]
    meta = RunMeta(model="tiny-model", backend="endpoint", pipeline="single", version="0.1.0", seconds=2.5,
                   prompts=[PromptRef(name="system", sha256="ab" * 32)],
                   usage=usage or Usage(prompt_tokens=900, completion_tokens=120, calls=1, retries=0))
    return ArticleSummary(published=dt.date(2019, 4, 2), summary="Okafor travels; leaders meet; a pledge; doubt.",
                          trips=trips, summits=summits, commitments=commitments, skepticism=doubts,
                          actors=actors, meta=meta)
    # fmt: on


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "runs.db"


@pytest.fixture
def store(path: Path) -> Iterator[RunStore]:
    with RunStore(path) as s:
        yield s


def start(s: RunStore, key: str = "key-1") -> str:
    return s.start_run(command="summarize archive/", pipeline="single", model="tiny-model", backend="endpoint",
                       settings={"temperature": 0.0, "out": Path("x")}, prompts=[{"name": "system", "sha256": "ab"}],
                       cache_key=key)  # fmt: skip


def add(s: RunStore, run: str, article: str = "a1", *, key: str = "key-1", sha: str = "sha-a1",
        result: ArticleSummary | None = None, cached: bool = False) -> None:  # fmt: skip
    s.add_result(run, article_id=article, source=f"archive/{article}.txt", text_sha256=sha,
                 published=dt.date(2019, 4, 2), meta={"chars": str(len(ARTICLE)), "outlet": "Daily Lumerian"},
                 summary=result or summary(), cache_key=key, cached=cached)  # fmt: skip


def sql(path: Path, query: str, *params: Any) -> list[tuple[Any, ...]]:
    """A query through the standard library's sqlite3, as an analyst runs it."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


ARTICLE_TABLES = ("results", "errors", "usage", "spans", "actors", *REGISTRY)


def rows_of(path: Path, article: str) -> dict[str, int]:
    return {t: sql(path, f'select count(*) from "{t}" where article_id = ?', article)[0][0] for t in ARTICLE_TABLES}


def test_results_and_errors_are_rows_an_analyst_counts_and_joins(store: RunStore, path: Path) -> None:
    run = start(store)
    add(store, run, "a1")
    add(store, run, "a2", sha="sha-a2", result=summary(pledges=3))
    store.add_error(run, article_id="a3", source="archive/a3.txt", error_type="ExtractionError",
                    message="no valid record set after 2 attempts", attempts=2)  # fmt: skip
    store.finish_run(run, status="finished", articles=3, failed=1, cached=0, prompt_tokens=1800,
                     completion_tokens=240, wall_seconds=7.5, cost=None)  # fmt: skip

    assert sql(path, "select count(*) from commitments") == [(4,)]
    joined = sql(path, """
        select t.article_id, t.traveler, s.quote, s.start, s."end", s.method from trips t
        join spans s on s.run_id = t.run_id and s.article_id = t.article_id and s.category = 'trips'
                     and s.record_id = t.record_id
        where t.article_id = 'a1' order by s.position""")  # fmt: skip
    assert [r[2] for r in joined] == [TRIP_Q, "Port Vessa next week"]
    assert all(ARTICLE[start:end] == quote for _, _, quote, start, end, _ in joined)
    assert {r[1] for r in joined} == {"Mira Okafor"}
    [(dests, codes, grounded, status, when)] = sql(
        path, 'select destinations, destination_codes, grounded, status, "when" from trips where article_id = ?', "a1"
    )
    assert (json.loads(dests), json.loads(codes), grounded, status, when) == (
        ["Lumeria", "Port Vessa"], ["LUM", None], 1, "planned", "next week")  # fmt: skip
    assert sql(path, "select code.value, count(*) from trips, json_each(trips.destination_codes) code "
                     "where code.value is not null group by code.value") == [("LUM", 2)]  # fmt: skip
    assert sql(path, "select error_type, message, attempts from errors") == [
        ("ExtractionError", "no valid record set after 2 attempts", 2)]  # fmt: skip
    assert sql(path, "select status, articles, failed, prompt_tokens, wall_seconds, cost, finished is not null "
                     "from runs") == [("finished", 3, 1, 1800, 7.5, None, 1)]  # fmt: skip
    articles = sql(path, "select id, chars, published, json_extract(meta, '$.outlet') from articles order by id")
    assert articles == [(a, len(ARTICLE), "2019-04-02", "Daily Lumerian") for a in ("a1", "a2")]
    assert sql(path, "select count(*), sum(prompt_tokens), sum(calls) from usage") == [(2, 1800, 2)]
    assert sql(path, "select name, aliases from actors where article_id = 'a1' order by position")[0] == (
        "Mira Okafor", '["Okafor"]')  # fmt: skip
    assert sql(path, "select doubts, score from skepticism where article_id = 'a1'") == [("C1", 0.75)]
    assert store.done(run) == {"a1", "a2", "a3"}
    assert store.counts(run) == {"results": 2, "errors": 1, "cached": 0, "trips": 2, "summits": 2,
                                 "commitments": 4, "skepticism": 2}  # fmt: skip


def test_the_summary_json_round_trips_and_the_file_is_wal_with_foreign_keys(store: RunStore, path: Path) -> None:
    run = start(store)
    add(store, run)
    [(text, seconds)] = sql(path, "select summary, seconds from results")
    assert ArticleSummary.model_validate_json(text).model_dump() == summary().model_dump()
    assert seconds == 2.5
    assert sql(path, "pragma journal_mode") == [("wal",)]
    assert store._db.conn.execute("pragma foreign_keys").fetchone() == (1,)


def test_the_store_is_the_cache_by_key_and_text_hash_the_latest_first(store: RunStore) -> None:
    first, second = start(store), start(store)
    add(store, first, result=summary(pledges=1))
    add(store, second, result=summary(pledges=2), cached=False)
    hit = store.cached("key-1", "sha-a1")
    assert hit is not None and hit.model_dump() == summary(pledges=2).model_dump()
    assert store.cached("key-2", "sha-a1") is None  # another model, prompt or setting
    assert store.cached("key-1", "sha-other") is None  # the article's text changed
    third = start(store)
    add(store, third, result=hit, cached=True)
    assert store.counts(third)["cached"] == 1


def test_writing_an_article_again_in_a_run_replaces_its_rows(store: RunStore, path: Path) -> None:
    run = start(store)
    add(store, run, result=summary(pledges=3))
    add(store, run, result=summary(pledges=1))
    assert rows_of(path, "a1") == {"results": 1, "errors": 0, "usage": 1, "spans": 5, "actors": 3, "trips": 1,
                                   "summits": 1, "commitments": 1, "skepticism": 1}  # fmt: skip
    store.add_error(run, article_id="a1", source="archive/a1.txt", error_type="BackendError", message="down",
                    attempts=None)  # fmt: skip
    assert rows_of(path, "a1") == dict.fromkeys(ARTICLE_TABLES, 0) | {"errors": 1}
    add(store, run)
    assert rows_of(path, "a1")["errors"] == 0 and store.counts(run)["results"] == 1
    other = start(store)
    add(store, other)  # another run keeps its own rows
    assert rows_of(path, "a1")["results"] == 2 and sql(path, "select count(*) from articles") == [(1,)]


def test_a_failure_inside_add_result_leaves_the_article_as_it_was(store: RunStore, path: Path) -> None:
    run = start(store)
    add(store, run, "a1")
    before = rows_of(path, "a1")
    trigger = "create trigger no_spans before insert on spans begin select raise(abort, 'disk full'); end"
    sql_conn = sqlite3.connect(path)
    sql_conn.execute(trigger)
    sql_conn.commit()
    sql_conn.close()
    with pytest.raises(OutputError, match="disk full"):
        add(store, run, "a1", result=summary(pledges=3))
    with pytest.raises(OutputError, match="disk full"):
        add(store, run, "a2")
    assert rows_of(path, "a1") == before  # the delete of the old rows rolled back with the rest
    assert rows_of(path, "a2") == dict.fromkeys(ARTICLE_TABLES, 0)
    assert sql(path, "select id from articles") == [("a1",)]


def test_an_interrupt_between_inserts_rolls_the_whole_article_back(
    store: RunStore, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = start(store)
    real = store_mod._insert

    def interrupted(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
        if table == "usage":  # the last insert: everything else of the article is written by now
            raise KeyboardInterrupt
        real(conn, table, rows)

    monkeypatch.setattr(store_mod, "_insert", interrupted)
    with pytest.raises(KeyboardInterrupt):
        add(store, run, "a1")
    assert rows_of(path, "a1") == dict.fromkeys(ARTICLE_TABLES, 0)
    assert sql(path, "select count(*) from articles") == [(0,)]
    monkeypatch.setattr(store_mod, "_insert", real)
    add(store, run, "a1")  # the connection is usable again
    assert store.done(run) == {"a1"}


KILLED_MID_ARTICLE = """
import os, signal, sys
from pathlib import Path
from summarizer import store
from summarizer.schemas import ArticleSummary
path, run, summary_file = sys.argv[1:]
real = store._insert
def dying(conn, table, rows):
    if table == "usage":
        os.kill(os.getpid(), signal.SIGKILL)
    real(conn, table, rows)
store._insert = dying
s = store.RunStore(Path(path))
s.add_result(run, article_id="a2", source="a2.txt", text_sha256="sha-a2", published=None, meta={},
             summary=ArticleSummary.model_validate_json(Path(summary_file).read_text()), cache_key="k", cached=False)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_process_killed_mid_article_leaves_none_of_it(store: RunStore, path: Path, tmp_path: Path) -> None:
    run = start(store)
    add(store, run, "a1")
    summary_file = tmp_path / "summary.json"
    summary_file.write_text(summary(pledges=4).model_dump_json(), encoding="utf-8")
    child = subprocess.run([sys.executable, "-c", KILLED_MID_ARTICLE, str(path), run, str(summary_file)],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr
    with RunStore(path) as again:
        assert again.done(run) == {"a1"}
        assert again.counts(run)["commitments"] == 1
    assert rows_of(path, "a2") == dict.fromkeys(ARTICLE_TABLES, 0)


def test_a_file_that_is_not_a_run_store_is_a_clear_error(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("these are not the tables you are looking for\n" * 100, encoding="utf-8")
    with pytest.raises(ConfigError, match="not a database"):
        RunStore(text)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("create table birds (name text)")
    conn.close()
    with pytest.raises(ConfigError, match="not a run store"):
        RunStore(other)
    with pytest.raises(ConfigError, match="is a directory"):
        RunStore(tmp_path)
    assert text.read_text(encoding="utf-8").startswith("these are not")  # left as it was


def test_a_store_of_another_schema_version_is_refused(path: Path) -> None:
    RunStore(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("update store_meta set value = '99' where key = 'schema_version'")
    conn.close()
    with pytest.raises(ConfigError, match=r"schema version 99.*version 1\b"):
        RunStore(path)


@pytest.mark.skipif(sqlite3.sqlite_version_info < (3, 35), reason="DROP COLUMN needs SQLite 3.35")
def test_a_field_missing_from_an_existing_table_is_added_on_open(path: Path) -> None:
    with RunStore(path) as s:
        add(s, start(s))
    conn = sqlite3.connect(path)
    conn.execute("alter table trips drop column purpose")
    conn.close()
    with RunStore(path) as s:
        add(s, start(s))
    assert sql(path, "select count(purpose), count(*) from trips") == [(0, 2)]  # None both times, column back


def test_default_path_is_in_the_user_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_dir", lambda appname: str(tmp_path / "data" / appname))
    assert RunStore.default_path() == tmp_path / "data" / "summarizer" / "runs.db"


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_DATA_HOME is the Linux convention")
def test_default_path_follows_xdg_data_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert RunStore.default_path() == tmp_path / "summarizer" / "runs.db"
    with RunStore(RunStore.default_path()) as s:  # the directory is created
        assert s.done(start(s)) == set()


def table_columns(path: Path, table: str) -> list[str]:
    return [r[1] for r in sql(path, f'pragma table_info("{table}")')]


@pytest.mark.parametrize("name", list(REGISTRY))
def test_each_category_table_has_a_column_per_output_field(store: RunStore, path: Path, name: str) -> None:
    columns = table_columns(path, name)
    fields = set(REGISTRY[name].output.model_fields)
    assert columns[:3] == ["run_id", "article_id", "record_id"]
    assert set(columns[3:]) == fields - {"id", "spans"}
    assert {"evidence", "grounded", "score"} <= set(columns)
    link = REGISTRY[name].link
    assert link is None or link in columns


def test_spans_actors_and_usage_columns_follow_their_models(store: RunStore, path: Path) -> None:
    assert set(Span.model_fields) <= set(table_columns(path, "spans"))
    assert set(Actor.model_fields) <= set(table_columns(path, "actors"))
    assert set(Usage.model_fields) | {"cached"} <= set(table_columns(path, "usage"))


def test_a_fifth_registry_entry_is_a_fifth_table(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    fifth = dataclasses.replace(REGISTRY["commitments"], name="pledges", letter="P")
    monkeypatch.setitem(REGISTRY, "pledges", fifth)
    table_specs.cache_clear()
    try:
        RunStore(path).close()
    finally:
        table_specs.cache_clear()
    assert table_columns(path, "pledges") == table_columns(path, "commitments")


def test_records_without_ids_get_position_ids(store: RunStore, path: Path) -> None:
    run = start(store)
    add(store, run, result=summary(pledges=2, with_ids=False))
    assert sql(path, "select record_id from commitments order by record_id") == [("C1",), ("C2",)]
    assert sql(path, "select record_id from spans where category = 'trips'") == [("T1",), ("T1",)]


def test_runs_have_sortable_ids_and_unknown_runs_are_refused(store: RunStore, path: Path) -> None:
    ids = [start(store) for _ in range(5)]
    assert sorted(ids) == ids and len(set(ids)) == 5
    assert dt.datetime.strptime(ids[0].split("-")[0], "%Y%m%dT%H%M%S.%fZ")
    assert sql(path, "select status, settings from runs limit 1") == [
        ("running", '{"out": "x", "temperature": 0.0}')]  # fmt: skip
    with pytest.raises(ConfigError, match="no run 'nope'"):
        add(store, "nope")
    with pytest.raises(ConfigError, match="no run 'nope'"):
        store.finish_run("nope", status="failed", articles=0, failed=0, cached=0, prompt_tokens=0,
                         completion_tokens=0, wall_seconds=0.0, cost=None)  # fmt: skip
    bad: Any = "done"
    with pytest.raises(ConfigError, match="run status 'done'"):
        store.finish_run(ids[0], status=bad, articles=0, failed=0, cached=0, prompt_tokens=0,
                         completion_tokens=0, wall_seconds=0.0, cost=None)  # fmt: skip
    assert rows_of(path, "a1") == dict.fromkeys(ARTICLE_TABLES, 0)


Kind = Literal["a", "b"]


@pytest.mark.parametrize(
    ("annotation", "kind"),
    [(int | None, int), (bool, int), (float | None, float), (list[str], str), (Kind | None, str),
     (dt.date | None, str), (list[Span], str), (int | str, str)],
)  # fmt: skip
def test_column_types_come_from_annotations(annotation: Any, kind: type) -> None:
    assert column_type(annotation) is kind


def test_importing_the_module_does_not_import_sqlite_utils() -> None:
    code = "import sys, summarizer.store; print('sqlite_utils' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr
