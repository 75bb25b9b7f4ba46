"""The run store: every batch run, its results and errors in one SQLite file that analysts query with SQL.

Rules:

- **One file, many runs.** :class:`RunStore` opens (or creates) a SQLite database in WAL journal mode with
  ``PRAGMA foreign_keys=ON``; tables and indexes are created if missing. ``store_meta`` holds
  :data:`SCHEMA_VERSION`: a file of another version, a SQLite database that is not a run store, or a file that is
  not SQLite at all is a :class:`~summarizer.errors.ConfigError`, never silently rewritten.
- **Columns follow the schemas.** Each category of :data:`summarizer.categories.REGISTRY` is one table named
  after it, with one column per field of its output class (``id`` becomes ``record_id``; ``spans`` go to the
  ``spans`` table); ``spans``, ``actors`` and ``usage`` likewise take their columns from
  :class:`~summarizer.schemas.Span`, :class:`~summarizer.schemas.Actor` and :class:`~summarizer.schemas.Usage`.
  Lists and nested models are JSON text, booleans 0/1. A field added to a class becomes a column of an existing
  store on open (added, nullable); a new category is a new table.
- **One article, one transaction.** :meth:`RunStore.add_result` and :meth:`RunStore.add_error` write all of an
  article's rows in one ``BEGIN IMMEDIATE`` transaction, after deleting whatever that run held for the article:
  an article is written whole or not at all (a crash or SIGKILL leaves none of it), its latest outcome in a run
  replaces the earlier one, and a resumed run never duplicates rows.
- **The store is the response cache.** :meth:`RunStore.cached` returns the most recent summary of any run
  stored under the same cache key and article text hash; the caller computes the key (model, model file hash,
  prompt hashes, package version, pipeline and the settings that change the output) and passes it in.
- **Record ids.** A record's ``record_id`` is its ``id``; a category whose records lack ids or repeat one gets
  position ids (``T1``, ``T2``…), as :func:`summarizer.links.assign_ids` gives them.

sqlite-utils is imported where a store is opened (it imports pandas when installed: half a second).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import TracebackType, UnionType
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

import platformdirs
from pydantic import BaseModel, ValidationError

from . import __version__
from .categories import REGISTRY, Category
from .errors import ConfigError, OutputError
from .schemas import Actor, ArticleSummary, OutputRecord, Span, Usage

if TYPE_CHECKING:
    from sqlite_utils import Database

SCHEMA_VERSION = 1
RunStatus = Literal["finished", "interrupted", "failed"]
Row = dict[str, Any]
ARTICLE_KEY = ("run_id", "article_id")
RECORD_KEY = (*ARTICLE_KEY, "record_id")
SPAN_KEY = (*ARTICLE_KEY, "category", "record_id", "position")
ACTOR_KEY = (*ARTICLE_KEY, "position")
SKIPPED_FIELDS = frozenset({"id", "spans"})  # a record's id is its key, its spans are rows of ``spans``


@dataclass(frozen=True)
class TableSpec:
    """One table: its columns (name → Python type for sqlite-utils), primary key, foreign keys and indexes."""

    name: str
    columns: dict[str, type]
    pk: tuple[str, ...]
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)
    indexes: list[tuple[str, ...]] = field(default_factory=list)


def column_type(annotation: Any) -> type:
    """A field's SQLite type as sqlite-utils spells it: ``int`` for ints and booleans, ``float`` for floats, ``str``
    for everything else (text, literals, dates, and lists or models as JSON). ``X | None`` is the type of X."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return column_type(get_args(annotation)[0])
    if origin in (Union, UnionType):
        kinds = {column_type(a) for a in get_args(annotation) if a is not type(None)}
        return kinds.pop() if len(kinds) == 1 else str
    if annotation in (bool, int):
        return int
    return float if annotation is float else str


def model_columns(model: type[BaseModel], skip: frozenset[str] = frozenset()) -> dict[str, type]:
    """One column per field of ``model``, in field order, except ``skip``."""
    return {name: column_type(f.annotation) for name, f in model.model_fields.items() if name not in skip}


def record_columns(cat: Category[Any]) -> dict[str, type]:
    """The columns of a category's table: the key, then every field of its output class but ``id`` and ``spans``,
    the fields the model fills first (in their order), then those the program adds."""
    output = model_columns(cat.output, SKIPPED_FIELDS)
    fields = {k: output[k] for k in cat.fields.model_fields if k in output and k != "evidence"} | output
    clash = set(fields) & {*RECORD_KEY, "category", "position"}
    if clash:
        raise ConfigError(f"category {cat.name!r}: fields {sorted(clash)} clash with the run store's key columns")
    return {"run_id": str, "article_id": str, "record_id": str, **fields}


@cache
def table_specs() -> tuple[TableSpec, ...]:
    """Every table of the store, parents before the tables that refer to them."""
    to_run, to_article = ("run_id", "runs", "id"), ("article_id", "articles", "id")
    article_key: dict[str, type] = {"run_id": str, "article_id": str}
    fixed = (
        TableSpec("store_meta", {"key": str, "value": str}, ("key",)),
        TableSpec("runs", {
            "id": str, "command": str, "pipeline": str, "model": str, "backend": str, "version": str,
            "settings": str, "prompts": str, "cache_key": str, "status": str, "started": str, "finished": str,
            "articles": int, "failed": int, "cached": int, "prompt_tokens": int, "completion_tokens": int,
            "wall_seconds": float, "cost": float,
        }, ("id",), indexes=[("started",)]),
        TableSpec("articles", {
            "id": str, "source": str, "sha256": str, "published": str, "chars": int, "meta": str,
        }, ("id",), indexes=[("sha256",)]),
        TableSpec("results", {
            **article_key, "cache_key": str, "text_sha256": str, "summary": str, "seconds": float,
            "cached": int, "created": str,
        }, ARTICLE_KEY, [to_run, to_article], [("cache_key", "text_sha256"), ("article_id",)]),
        TableSpec("errors", {
            **article_key, "source": str, "error_type": str, "message": str, "attempts": int, "created": str,
        }, ARTICLE_KEY, [to_run], [("article_id",), ("error_type",)]),
        TableSpec("usage", {**article_key, **model_columns(Usage), "cached": int},
                  ARTICLE_KEY, [to_run, to_article], [("article_id",)]),
        TableSpec("spans", {**article_key, "category": str, "record_id": str, "position": int,
                            **model_columns(Span)}, SPAN_KEY, [to_run, to_article], [("article_id",)]),
        TableSpec("actors", {**article_key, "position": int, **model_columns(Actor)},
                  ACTOR_KEY, [to_run, to_article], [("article_id",), ("name",)]),
    )  # fmt: skip
    records = tuple(
        TableSpec(name, record_columns(cat), RECORD_KEY, [to_run, to_article], [("article_id",)])
        for name, cat in REGISTRY.items()
    )
    return fixed + records


def article_tables() -> tuple[str, ...]:
    """The tables holding rows of one article in one run (cleared before the article is written again)."""
    return tuple(s.name for s in table_specs() if s.pk[: len(ARTICLE_KEY)] == ARTICLE_KEY)


def new_run_id() -> str:
    """A run id that sorts by start time: the UTC time to the microsecond and a short random suffix."""
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(3)}"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _cell(value: Any) -> Any:
    """A value from ``model_dump(mode="json")`` as SQLite stores it: lists and objects as JSON text."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _insert(conn: sqlite3.Connection, table: str, rows: list[Row]) -> None:
    """Insert rows that share their columns (every row of a table is built by one function)."""
    if rows:
        cols = list(rows[0])
        sql = f"INSERT INTO {_quote(table)} ({', '.join(map(_quote, cols))}) VALUES ({', '.join('?' * len(cols))})"
        conn.executemany(sql, [[r[c] for c in cols] for r in rows])


def record_ids(category: Category[Any], records: list[OutputRecord]) -> list[str]:
    """Each record's key: its id, or position ids for all when any id is missing or repeated."""
    ids = [r.id for r in records]
    if all(ids) and len(set(ids)) == len(ids):
        return [str(i) for i in ids]
    return [category.position_id(n) for n in range(1, len(records) + 1)]


def summary_rows(run_id: str, article_id: str, summary: ArticleSummary, cached: bool) -> dict[str, list[Row]]:
    """The rows of the record tables, ``spans``, ``actors`` and ``usage`` for one summary."""
    key = {"run_id": run_id, "article_id": article_id}
    rows: dict[str, list[Row]] = {"spans": []}
    for name, cat in REGISTRY.items():
        records: list[OutputRecord] = list(getattr(summary, name))
        rows[name] = []
        for rid, rec in zip(record_ids(cat, records), records, strict=True):
            dumped = rec.model_dump(mode="json", exclude=set(SKIPPED_FIELDS))
            rows[name].append({**key, "record_id": rid, **{k: _cell(v) for k, v in dumped.items()}})
            rows["spans"] += [
                {**key, "category": name, "record_id": rid, "position": i, **span.model_dump(mode="json")}
                for i, span in enumerate(rec.spans)
            ]
    rows["actors"] = [
        {**key, "position": i, **{k: _cell(v) for k, v in actor.model_dump(mode="json").items()}}
        for i, actor in enumerate(summary.actors)
    ]
    usage = summary.meta.usage if summary.meta else Usage()
    rows["usage"] = [{**key, **usage.model_dump(), "cached": int(cached)}]
    return rows


def _chars(meta: Mapping[str, str]) -> int | None:
    value = str(meta.get("chars", "")).strip()
    return int(value) if value.isdigit() else None


def _open(path: Path) -> Database:
    """The store's database, created or checked and brought up to the current columns."""
    import sqlite_utils

    if path.is_dir():
        raise ConfigError(f"{path}: is a directory; the run store is a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot create the run store's directory: {exc.strerror or exc}") from exc
    db: Database | None = None
    try:
        db = sqlite_utils.Database(path)
        _check_version(db, path)
        db.enable_wal()
        db.conn.execute("PRAGMA foreign_keys=ON")
        _create_tables(db)
        with db.conn:
            db.conn.execute(
                "INSERT OR IGNORE INTO store_meta (key, value) VALUES ('schema_version', ?), ('created', ?), "
                "('created_by', ?)",
                (str(SCHEMA_VERSION), _now(), f"summarizer {__version__}"),
            )
    except BaseException as exc:
        if db is not None:
            db.close()
        if isinstance(exc, sqlite3.Error):
            raise ConfigError(f"{path}: cannot open as a run store (SQLite: {exc})") from exc
        raise
    return db


def _check_version(db: Database, path: Path) -> None:
    tables = set(db.table_names())  # reading the schema is what fails on a file that is not SQLite
    if not tables:
        return
    if "store_meta" not in tables:
        raise ConfigError(f"{path}: a SQLite database but not a run store (it has no store_meta table)")
    row = db.conn.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
    found = row[0] if row else None
    if found != str(SCHEMA_VERSION):
        raise ConfigError(
            f"{path}: run store schema version {found}, but this summarizer {__version__} reads and writes "
            f"version {SCHEMA_VERSION}; use the summarizer that wrote it, or start a new store file"
        )


def _create_tables(db: Database) -> None:
    for spec in table_specs():
        table = db.table(spec.name)
        if table.exists():
            have = set(table.columns_dict)
            for col, kind in spec.columns.items():
                if col not in have:
                    table.add_column(col, kind)
        else:
            table.create(spec.columns, pk=spec.pk if len(spec.pk) > 1 else spec.pk[0],
                         foreign_keys=spec.foreign_keys, not_null=spec.pk, if_not_exists=True)  # fmt: skip
        for cols in spec.indexes:
            table.create_index(cols, index_name=f"idx_{spec.name}_{'_'.join(cols)}", if_not_exists=True)


class RunStore:
    """The run store at ``path`` (see the module docstring). One per process and thread; several processes may
    share a file (WAL; a writer waits up to 5 seconds for another's transaction)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = _open(self.path)

    @staticmethod
    def default_path() -> Path:
        """``runs.db`` in the user data directory (``~/.local/share/summarizer`` on Linux)."""
        return Path(platformdirs.user_data_dir("summarizer")) / "runs.db"

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def _transaction(self, run_id: str | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (``BEGIN IMMEDIATE``); rolled back on any exception, Ctrl-C
        included. SQLite's errors become :class:`OutputError`; an unknown ``run_id`` is a ConfigError."""
        conn = self._db.conn
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                if run_id is not None and conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                    raise ConfigError(f"{self.path}: no run {run_id!r} in this store")
                yield conn
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.rollback()
            raise OutputError(str(self.path), f"cannot write to the run store (SQLite: {exc})") from exc

    def _query(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        try:
            return self._db.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise ConfigError(f"{self.path}: cannot read the run store (SQLite: {exc})") from exc

    def start_run(self, *, command: str, pipeline: str, model: str, backend: str, settings: dict[str, object],
                  prompts: list[dict[str, str]], cache_key: str) -> str:  # fmt: skip
        """Record a new run as ``running`` and return its id."""
        run_id = new_run_id()
        row = {
            "id": run_id, "command": command, "pipeline": pipeline, "model": model, "backend": backend,
            "version": __version__, "settings": json.dumps(settings, sort_keys=True, default=str),
            "prompts": json.dumps(prompts), "cache_key": cache_key, "status": "running", "started": _now(),
        }  # fmt: skip
        with self._transaction() as conn:
            _insert(conn, "runs", [row])
        return run_id

    def finish_run(self, run_id: str, *, status: RunStatus, articles: int, failed: int, cached: int,
                   prompt_tokens: int, completion_tokens: int, wall_seconds: float,
                   cost: float | None) -> None:  # fmt: skip
        """Record how a run ended and its totals."""
        if status not in get_args(RunStatus):
            raise ConfigError(f"run status {status!r}; choose from {', '.join(get_args(RunStatus))}")
        values = {
            "status": status, "finished": _now(), "articles": articles, "failed": failed, "cached": cached,
            "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "wall_seconds": wall_seconds,
            "cost": cost,
        }  # fmt: skip
        with self._transaction(run_id) as conn:
            sets = ", ".join(f"{_quote(k)} = ?" for k in values)
            conn.execute(f"UPDATE runs SET {sets} WHERE id = ?", [*values.values(), run_id])

    def _clear(self, conn: sqlite3.Connection, run_id: str, article_id: str) -> None:
        for table in article_tables():
            conn.execute(f"DELETE FROM {_quote(table)} WHERE run_id = ? AND article_id = ?", (run_id, article_id))

    def add_result(self, run_id: str, *, article_id: str, source: str, text_sha256: str, published: dt.date | None,
                   meta: dict[str, str], summary: ArticleSummary, cache_key: str, cached: bool) -> None:  # fmt: skip
        """Write one article's summary, records, spans, actors and usage in one transaction, replacing what this
        run held for the article (an earlier result or error)."""
        article = {
            "id": article_id, "source": source, "sha256": text_sha256,
            "published": published.isoformat() if published else None, "chars": _chars(meta),
            "meta": json.dumps(meta, sort_keys=True, ensure_ascii=False),
        }  # fmt: skip
        result = {
            "run_id": run_id, "article_id": article_id, "cache_key": cache_key, "text_sha256": text_sha256,
            "summary": summary.model_dump_json(), "seconds": summary.meta.seconds if summary.meta else None,
            "cached": int(cached), "created": _now(),
        }  # fmt: skip
        rows = summary_rows(run_id, article_id, summary, cached)
        with self._transaction(run_id) as conn:
            self._clear(conn, run_id, article_id)
            cols = [c for c in article if c != "id"]
            conn.execute(
                f"INSERT INTO articles ({', '.join(map(_quote, article))}) VALUES ({', '.join('?' * len(article))}) "
                f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{_quote(c)} = excluded.{_quote(c)}' for c in cols)}",
                list(article.values()),
            )
            _insert(conn, "results", [result])
            for table, table_rows in rows.items():
                _insert(conn, table, table_rows)

    def add_error(self, run_id: str, *, article_id: str, source: str, error_type: str, message: str,
                  attempts: int | None) -> None:  # fmt: skip
        """Record that an article failed in this run, replacing what this run held for it."""
        row = {
            "run_id": run_id, "article_id": article_id, "source": source, "error_type": error_type,
            "message": message, "attempts": attempts, "created": _now(),
        }  # fmt: skip
        with self._transaction(run_id) as conn:
            self._clear(conn, run_id, article_id)
            _insert(conn, "errors", [row])

    def cached(self, cache_key: str, text_sha256: str) -> ArticleSummary | None:
        """The most recent summary stored under this cache key for this article text, from any run; None if
        there is none (or it no longer validates: then the article is summarized again)."""
        rows = self._query(
            "SELECT summary FROM results WHERE cache_key = ? AND text_sha256 = ? "
            "ORDER BY created DESC, rowid DESC LIMIT 1",
            (cache_key, text_sha256),
        )
        if not rows:
            return None
        try:
            return ArticleSummary.model_validate_json(rows[0][0])
        except ValidationError:
            return None

    def done(self, run_id: str) -> set[str]:
        """The articles of a run that have a result or an error (what a resumed run skips)."""
        sql = "SELECT article_id FROM results WHERE run_id = ? UNION SELECT article_id FROM errors WHERE run_id = ?"
        return {r[0] for r in self._query(sql, (run_id, run_id))}

    def counts(self, run_id: str) -> dict[str, int]:
        """Results, errors, cached results and records of each category in a run."""

        def count(table: str, what: str = "count(*)") -> int:
            return int(self._query(f"SELECT {what} FROM {_quote(table)} WHERE run_id = ?", (run_id,))[0][0] or 0)

        totals = {"results": count("results"), "errors": count("errors"), "cached": count("results", "sum(cached)")}
        return totals | {name: count(name) for name in REGISTRY}
