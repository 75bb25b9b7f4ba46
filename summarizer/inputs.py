"""The inputs of a batch run: every spec read up front, each article with a stable id, each problem an input too.

Specs (:func:`read_inputs`), in order, each standing for the inputs it names in its own order:

- ``-``: one article from standard input (source ``<stdin>``); a second ``-`` is an error input.
- A path that exists: a file is one article (read as :func:`~summarizer.articles.read_article` does: header,
  HTML), a directory stands for its files (:func:`~summarizer.articles.expand_inputs`: regular, non-hidden, in
  name order, not recursive). A file whose name ends in ``.jsonl`` is a JSONL file, however it was reached.
- A path that does not exist and holds ``*``, ``?`` or ``[``: a glob pattern (``glob.glob(spec, recursive=True)``,
  sorted, files only); a pattern matching no file is an error input naming the pattern.
- A JSONL file: one JSON object per line, ``{"id": ..., "text": ..., "published": "YYYY-MM-DD", ...}``, each an
  article with source ``file.jsonl:LINE``. ``text`` is required (a non-empty string) and is read as a file's
  content is (an HTML page reduced to text; a header in it is the article's header). ``id`` is optional (a string
  on one line or an integer, turned into a string; null or blank means none). ``published`` is optional
  (``YYYY-MM-DD``; null, blank or ``unknown`` means none). Every key but ``text`` is kept in ``Article.meta``
  (strings as they are, other values as JSON text, null values dropped); what the text itself says (its header,
  an HTML title) wins over the record's keys. A blank line is skipped; a line that is not a JSON object, or a
  record breaking these rules, is an error input for that line, and the other lines still count.

Article id (:func:`article_id`): the header's ``id:`` (for a record, the record's ``id`` unless its text has a
header id), else ``"sha256:"`` and the first 16 hex digits of the SHA-256 of the article text (the body, after
the header and HTML are taken off), so the id is the same across runs and machines.

Duplicates: an article whose id an earlier article of the batch already has is an error input (``duplicate
article id X, also FIRST_SOURCE``), unless its text hash equals the first's: then it is the same article under
another source, kept as an input of its own (the batch serves it from the store once the first is done).

Dates: the ``published`` argument (the CLI's ``--published``) is the date of the articles that have none of their
own (header or record); it never overrides one.

Nothing raises for bad input: every problem is an :class:`ArticleInput` with ``error`` set (a one-line
:class:`~summarizer.errors.InputError`) and ``id`` the record's id, the duplicated id, or ``""`` when none is known.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import glob
import hashlib
import json
import os
import re
from dataclasses import dataclass
from typing import Any

from .articles import Article, decode, expand_inputs, parse_article, parse_date, read_article, read_bytes
from .errors import InputError

STDIN = "-"
STDIN_SOURCE = "<stdin>"
_GLOB_MAGIC = re.compile(r"[*?\[]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ArticleInput:
    """One input of a batch: an article with its id and text hash, or the error that kept it from being read."""

    id: str  # stable article id ("" for an error input with no known id)
    source: str  # a path, "path:LINE" for a JSONL record, "<stdin>", or the glob pattern that matched nothing
    article: Article | None = None  # None when it could not be read
    error: InputError | None = None  # why not (exactly one of article and error is set)
    sha256: str | None = None  # SHA-256 hex of the article text (None when unreadable)

    def __post_init__(self) -> None:
        if (self.article is None) == (self.error is None):
            raise ValueError("an ArticleInput has exactly one of article and error")


def text_sha256(text: str) -> str:
    """SHA-256 hex of ``text`` as UTF-8."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def article_id(article: Article) -> str:
    """The article's stable id: its ``id`` metadata (header or record) if not blank, else ``sha256:`` + 16 hex."""
    return article.meta.get("id", "").strip() or "sha256:" + text_sha256(article.text)[:16]


def read_inputs(specs: list[str], published: dt.date | None = None) -> list[ArticleInput]:
    """Every input the specs name, read now, in order, duplicates resolved (rules: the module docstring)."""
    items: list[ArticleInput] = []
    stdin_read = False
    for spec in specs:
        for path in _expand(spec):
            if isinstance(path, InputError):
                items.append(_failed(spec, path))
            elif path == STDIN and stdin_read:
                items.append(_failed(STDIN_SOURCE, InputError(STDIN_SOURCE, "'-' given more than once")))
            else:
                stdin_read = stdin_read or path == STDIN
                items.extend(_read_path(path, published))
    return _resolve_duplicates(items)


def _expand(spec: str) -> list[str | InputError]:
    """The paths a spec stands for (``-`` for stdin), or the error that it names none."""
    if spec == STDIN:
        return [spec]
    if not os.path.lexists(spec) and _GLOB_MAGIC.search(spec):
        matches = [m for m in sorted(glob.glob(spec, recursive=True)) if os.path.isfile(m)]
        return [*matches] or [InputError(spec, "the pattern matches no files")]
    try:
        return list(expand_inputs(spec))
    except InputError as exc:
        return [exc]


def _read_path(path: str, published: dt.date | None) -> list[ArticleInput]:
    """The inputs of one file (one article, or one per JSONL record), or of standard input."""
    if path != STDIN and path.lower().endswith(".jsonl"):
        return _read_jsonl(path, published)
    try:
        return [_ok(read_article(path), published)]
    except InputError as exc:
        return [_failed(STDIN_SOURCE if path == STDIN else path, exc)]


def _ok(article: Article, published: dt.date | None) -> ArticleInput:
    if article.published is None and published is not None:
        article = dataclasses.replace(article, published=published)
    return ArticleInput(article_id(article), article.source, article=article, sha256=text_sha256(article.text))


def _failed(source: str, error: InputError, id: str = "") -> ArticleInput:
    return ArticleInput(id, source, error=error)


def _resolve_duplicates(items: list[ArticleInput]) -> list[ArticleInput]:
    """Later articles with an id already seen: kept if the same text, else error inputs."""
    first: dict[str, ArticleInput] = {}
    kept: list[ArticleInput] = []
    for item in items:
        seen = first.setdefault(item.id, item) if item.article is not None else None
        if seen is None or seen is item or seen.sha256 == item.sha256:
            kept.append(item)
        elif seen.sha256 != item.sha256:
            problem = f"duplicate article id {item.id}, also {seen.source}"
            kept.append(_failed(item.source, InputError(item.source, problem), item.id))
    return kept


# --- JSONL ---------------------------------------------------------------------------------------------------------


def _read_jsonl(path: str, published: dt.date | None) -> list[ArticleInput]:
    """One input per non-blank line of a JSONL file; an unreadable file is one error input."""
    try:
        text = decode(read_bytes(path, path), path)
    except InputError as exc:
        return [_failed(path, exc)]
    items = [_read_record(line, f"{path}:{n}", published) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    return items or [_failed(path, InputError(path, "the JSONL file holds no records"))]


def _read_record(line: str, source: str, published: dt.date | None) -> ArticleInput:
    rid = ""
    try:
        record = _json_object(line, source)
        rid = _record_id(record.get("id"), source)
        article = _record_article(record, rid, source)
    except InputError as exc:
        return _failed(source, exc, rid)
    return _ok(article, published)


def _json_object(line: str, source: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"not a JSON object: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise InputError(source, "not a JSON object: nested too deeply") from None
    if not isinstance(value, dict):
        raise InputError(source, f"not a JSON object but {_json_type(value)}")
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(source, "holds an unpaired surrogate escape (\\ud800-\\udfff), not valid text") from None
    return value


def _record_id(value: object, source: str) -> str:
    """A record's id as a string; ``""`` for none (absent, null or blank)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError(source, f"'id' must be a string or an integer, not {_json_type(value)}")
    rid = str(value).strip()
    if "\n" in rid or "\r" in rid:
        raise InputError(source, "'id' must be on one line")
    return rid


def _record_date(value: object, source: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and value.strip() in ("", "unknown")):
        return None
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        raise InputError(source, f"invalid date {value!r} in 'published': expected YYYY-MM-DD")
    return parse_date(value, source)


def _record_article(record: dict[str, Any], rid: str, source: str) -> Article:
    text = record.get("text")
    if text is None:
        raise InputError(source, "the record has no 'text'")
    if not isinstance(text, str):
        raise InputError(source, f"'text' must be a string, not {_json_type(text)}")
    if not text.strip():
        raise InputError(source, "'text' is empty")
    if "\x00" in text:
        raise InputError(source, "'text' holds a NUL character: binary data, not an article")
    date = _record_date(record.get("published"), source)
    meta = {k: _meta_value(v) for k, v in record.items() if k != "text" and v is not None}
    if rid:
        meta["id"] = rid
    else:
        meta.pop("id", None)
    parsed = parse_article(text, source)  # HTML reduced to text, a header split off
    own = {k: v for k, v in parsed.meta.items() if v}  # what the text says wins over the record's keys
    return Article(source=source, text=parsed.text, published=parsed.published or date, meta={**meta, **own})


def _meta_value(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _json_type(value: object) -> str:
    """The JSON name of a decoded value's type, with its article: ``an array``, ``a number``."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return "a string" if isinstance(value, str) else "null"
