"""Summaries as one self-contained HTML page, each article's text with its evidence highlighted.

Rules:

- One string, one file: the style and the one script are inline, and nothing refers to the network (no URL, font,
  image or stylesheet link). Every ``href`` is an in-page anchor. The page reads fully with JavaScript off; the
  script only links rows and highlights on hover and click.
- Article text and model output are untrusted: the template (``templates/summary.html.j2``, autoescaped, strict
  about undefined names) escapes every piece of text and nothing is marked safe. The highlighted article is built
  here as flat :class:`Segment` s, plain text pieces the template escapes one by one, never as markup.
- The categories come from :data:`~summarizer.categories.REGISTRY`: a table, a CSS class, a colour (a light tint
  as background) and a line style (the bottom border) per entry; neither this module nor the template names one.
  Columns follow the fields a category's output class has (``status``, ``date``, ``*_code(s)``, its link field).
- The text is split at every span boundary (evidence spans and withheld sentences); each segment carries every
  record covering it. Spans without offsets (not aligned) or outside the text are skipped. An empty text (a caller
  without the article) shows the records and no text section.
- Stable names, per article ``i`` (from 1) and highlight ``n`` (from 1, in text order): the section
  ``id="art-i"``; a record row ``id="rec-i-<record id>"``, ``class="record <category>"``, ``data-record``; a
  highlight ``<mark class="ev <category>…" id="ev-i-n" data-records="T1 S2" data-start data-end>`` (``overlap``
  when records of several categories cover it, ``multi`` when several records); a withheld sentence
  ``class="withheld"`` with ``data-start``/``data-end``. A row's id cell links to its first highlight.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from .categories import REGISTRY, Category
from .schemas import ArticleSummary, Span

TEMPLATE = "summary.html.j2"
TINT = 0.28  # share of the category's colour in a highlight's background (the rest white): black text stays legible
LINES = frozenset({"solid", "double", "dashed", "dotted", "groove", "ridge", "inset", "outset"})
CODES = ("_code", "_codes")  # fields holding ISO codes of places, shown in a "places" column
COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Style:
    """How one category looks: its CSS class, colour, light tint and border line style."""

    name: str
    label: str
    colour: str
    tint: str
    line: str


@dataclass(frozen=True)
class Segment:
    """A piece of the article text ``text[start:end]`` and what covers it (nothing: plain text)."""

    text: str
    start: int
    end: int
    records: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    withheld: bool = False
    id: str = ""
    title: str = ""


@dataclass(frozen=True)
class Link:
    """A record's pointer to another record: ``href`` is empty when the target is not in the article."""

    field: str
    target: str
    href: str


@dataclass(frozen=True)
class Row:
    """One record as a table row."""

    rid: str
    category: str
    dom_id: str
    headline: list[tuple[str, bool]]  # (text, bold) pieces
    status: str
    date: str
    places: str
    actors: str
    links: list[Link]
    score: str
    grounded: bool
    first_span: str  # id of the record's first highlight, "" when none


@dataclass(frozen=True)
class Table:
    style: Style
    rows: list[Row]
    dated: bool  # the category's records have a status and a date
    placed: bool  # ... ISO codes of places
    linked: bool  # ... a link to another record
    scored: bool  # some record has a check score


@dataclass(frozen=True)
class ArticleView:
    index: int
    dom_id: str
    source: str
    published: str
    run: str  # model and pipeline, "" without run metadata
    summary: str
    tables: list[Table]
    actors: list[tuple[str, str, str]]  # name, role, country
    segments: list[Segment]
    withheld: int
    highlights: int


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja2 environment of the HTML pages (summaries, eval report, timeline): the package's
    ``templates`` folder, autoescape on, undefined names an error."""
    return Environment(
        loader=PackageLoader("summarizer", "templates"), autoescape=True, undefined=StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True,
    )  # fmt: skip


def _tint(colour: str, share: float = TINT) -> str:
    """``colour`` mixed with white, ``share`` of it kept."""
    if not COLOUR.match(colour):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in channels)


def _style(cat: Category[Any]) -> Style:
    if cat.line not in LINES:
        raise ValueError(f"category {cat.name}: not a CSS border style: {cat.line!r}")
    return Style(cat.name, cat.name.capitalize(), cat.colour, _tint(cat.colour), cat.line)


def styles() -> list[Style]:
    """Every registered category's style, in registry order."""
    return [_style(cat) for cat in REGISTRY.values()]


def _records(summary: ArticleSummary, cat: Category[Any]) -> list[tuple[str, Any]]:
    """The category's records with their ids (``T1``… by position when a record has none)."""
    recs = getattr(summary, cat.name, None) or []
    return [(cat.record_id(n, rec), rec) for n, rec in enumerate(recs, 1)]


def _offsets(span: Span, size: int) -> tuple[int, int] | None:
    """The span's offsets when it is aligned inside a text of ``size`` characters."""
    if span.start is None or span.end is None or not 0 <= span.start < span.end <= size:
        return None
    return span.start, span.end


def _plain(headline: str) -> str:
    return headline.replace("**", "")


def _bold(headline: str) -> list[tuple[str, bool]]:
    """A headline's ``**bold**`` markdown as (text, bold) pieces, for the template to escape."""
    return [(piece, i % 2 == 1) for i, piece in enumerate(headline.split("**")) if piece]


def cuts(length: int, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, list[int]]]:
    """A text of ``length`` characters cut at every boundary of ``spans``: each piece's offsets and the indexes of
    the spans that cover it (what both the summaries page and the eval report highlight with)."""
    bounds = sorted({0, length, *(b for span in spans for b in span)})
    return [(a, b, [k for k, (s, e) in enumerate(spans) if s <= a and b <= e]) for a, b in pairwise(bounds)]


def segments(text: str, spans: list[tuple[Span, str, str]], withheld: list[Span], prefix: str) -> list[Segment]:
    """``text`` cut at every boundary of ``spans`` (span, record id, category) and ``withheld``; highlighted
    segments are numbered ``<prefix>-1``… in text order. Neighbours with the same cover are one segment."""
    marks = [(*at, rid, cat) for s, rid, cat in spans if (at := _offsets(s, len(text)))]
    held = [at for s in withheld if (at := _offsets(s, len(text)))]
    pieces: list[tuple[int, int, tuple[str, ...], tuple[str, ...], bool]] = []
    for a, b, covering in cuts(len(text), [(m[0], m[1]) for m in marks] + held):
        cover = [marks[k][2:] for k in covering if k < len(marks)]
        rids = tuple(dict.fromkeys(rid for rid, _ in cover))
        cats = tuple(dict.fromkeys(cat for _, cat in cover))
        gone = any(k >= len(marks) for k in covering)
        if pieces and pieces[-1][2:] == (rids, cats, gone):
            pieces[-1] = (pieces[-1][0], b, rids, cats, gone)
        else:
            pieces.append((a, b, rids, cats, gone))
    out, n = [], 0
    for a, b, rids, cats, gone in pieces:
        n += bool(rids)
        out.append(Segment(text[a:b], a, b, rids, cats, gone, f"{prefix}-{n}" if rids else ""))
    return out


def _titled(segs: list[Segment], headlines: dict[str, str]) -> list[Segment]:
    """Each highlight titled with the records it belongs to (and whether the model was shown it)."""
    out = []
    for s in segs:
        lines = [f"{r}: {headlines[r]}" for r in s.records] + (["withheld from the model"] if s.withheld else [])
        out.append(replace(s, title="\n".join(lines)) if s.records else s)
    return out


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v)
    return "" if value is None else str(value)


def _when(rec: Any) -> str:
    """The resolved date with its granularity, then the time expression as written: ``2018-10 (month) · "soon"``."""
    date, granularity, when = (getattr(rec, f, None) for f in ("date", "date_granularity", "when"))
    resolved = f"{date} ({granularity})" if date and granularity else date or ""
    return " · ".join(p for p in (resolved, f"“{when}”" if when else "") if p) or "undated"


def _row(i: int, rid: str, rec: Any, cat: Category[Any], first: dict[str, str], known: set[str]) -> Row:
    """Record ``rid`` of article ``i``; ``first`` maps record ids to their first highlight, ``known`` is every id."""
    target = getattr(rec, cat.link, None) if cat.link else None
    links = [Link(cat.link, target, f"#rec-{i}-{target}" if target in known else "")] if cat.link and target else []
    places = [_text(getattr(rec, f)) for f in type(rec).model_fields if f.endswith(CODES)]
    return Row(
        rid=rid, category=cat.name, dom_id=f"rec-{i}-{rid}", headline=_bold(cat.headline(rec)),
        status=_text(getattr(rec, "status", None)), date=_when(rec), places=", ".join(p for p in places if p),
        actors=_text(getattr(rec, cat.who, None)), links=links,
        score="" if rec.score is None else f"{rec.score:.2f}", grounded=bool(rec.grounded),
        first_span=first.get(rid, ""),
    )  # fmt: skip


def article_view(i: int, source: str, text: str, summary: ArticleSummary) -> ArticleView:
    """What the template shows of article ``i`` (from 1)."""
    cats = [(cat, _records(summary, cat)) for cat in REGISTRY.values()]
    spans = [(s, rid, cat.name) for cat, recs in cats for rid, rec in recs for s in rec.spans]
    withheld = summary.meta.withheld if summary.meta else []
    headlines = {rid: _plain(cat.headline(rec)) for cat, recs in cats for rid, rec in recs}
    segs = _titled(segments(text, spans, withheld, f"ev-{i}"), headlines)
    first: dict[str, str] = {}
    for seg in segs:
        for rid in seg.records:
            first.setdefault(rid, seg.id)
    tables = []
    for cat, recs in cats:
        if not recs:
            continue
        model = cat.output.model_fields
        rows = [_row(i, rid, rec, cat, first, set(headlines)) for rid, rec in recs]
        placed = any(f.endswith(CODES) for f in model)
        dated = "status" in model or "date" in model
        tables.append(Table(_style(cat), rows, dated, placed, bool(cat.link), any(r.score for r in rows)))
    meta = summary.meta
    return ArticleView(
        index=i, dom_id=f"art-{i}", source=source,
        published=summary.published.isoformat() if summary.published else "undated",
        run=f"{meta.model} · {meta.pipeline} pipeline · {meta.backend}" if meta else "",
        summary=summary.summary, tables=tables,
        actors=[(a.name, a.role or "", a.country or "") for a in summary.actors], segments=segs,
        withheld=sum(_offsets(s, len(text)) is not None for s in withheld),
        highlights=sum(bool(s.records) for s in segs),
    )  # fmt: skip


def render_html(items: list[tuple[str, str, ArticleSummary]], *, title: str = "Summaries") -> str:
    """One self-contained HTML page of ``items`` (source name, article text, its summary)."""
    articles = [article_view(i, source, text, summary) for i, (source, text, summary) in enumerate(items, 1)]
    return environment().get_template(TEMPLATE).render(title=title, articles=articles, categories=styles())
