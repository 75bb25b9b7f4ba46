"""A :class:`~summarizer.timeline.Timeline` as markdown, JSON, CSV or HTML.

Markdown: one table, events by date (undated last), each with its history (every article's status and time
expression as written, oldest first) and conflicts, then per event its evidence (article, record, offsets,
quote). JSON: the timeline model as is. CSV: one row per event, lists joined with ``; `` (the columns are
:data:`CSV_COLUMNS`), for spreadsheets. HTML: one self-contained page (no network), the dated events on a time axis
(inline SVG; a marker per event, a bar for a range, each a link to the event; trips round, summits square, in
their category's colour), then the events' table and every mention's evidence; Jinja2 with autoescape, so no
text from an article can add markup.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from .categories import REGISTRY
from .choices import TIMELINE_FORMAT_NAMES, TimelineFormatName
from .dates import first_day, last_day
from .htmlview import environment
from .timeline import EVENT_CATEGORIES, Event, Timeline

TimelineFormat = TimelineFormatName
TIMELINE_FORMATS = TIMELINE_FORMAT_NAMES
AXIS = {"width": 1000, "left": 60, "right": 940, "row": 22, "top": 20}
CSV_COLUMNS = (
    "id", "category", "date", "date_granularity", "label", "status", "ordinal", "history", "articles", "conflicts",
)  # fmt: skip


def _history(e: Event) -> str:
    """Each article's word on the event, oldest first: its status and time expression as written."""
    steps = []
    for m in e.mentions:
        when = f' "{m.when}"' if m.when else ""
        steps.append(f"{m.status}{when} ({m.published or 'undated'}, {m.article})")
    return " → ".join(steps)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(t: Timeline) -> str:
    lines = [
        f"# Timeline: {len(t.events)} events from {len(t.articles)} articles",
        "",
        "| # | date | event | status | history | articles | conflicts |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in t.events:
        kind = "trip" if e.category == "trips" else "summit"
        ordinal = f" (#{e.ordinal})" if e.ordinal else ""
        articles = ", ".join(dict.fromkeys(m.article for m in e.mentions))
        row = [e.id, e.date or "?", f"{kind}: {e.label}{ordinal}", e.status, _history(e), articles,
               "; ".join(e.conflicts)]  # fmt: skip
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    lines.append("")
    for e in t.events:
        lines.append(f"**{e.id}** {_cell(e.label)}")
        for m in e.mentions:
            quote = m.evidence[0] if m.evidence else None
            where = f" [{quote.start}:{quote.end}]" if quote and quote.start is not None else ""
            lines.append(f"- {m.article} {m.record} ({m.status}){where}: {quote.quote if quote else ''}")
        lines.append("")
    return "\n".join(lines)


def to_csv(t: Timeline) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for e in t.events:
        articles = "; ".join(f"{m.article}:{m.record}" for m in e.mentions)
        w.writerow([e.id, e.category, e.date or "", e.date_granularity or "", e.label, e.status, e.ordinal or "",
                    _history(e), articles, "; ".join(e.conflicts)])  # fmt: skip
    return buf.getvalue()


def _axis(t: Timeline) -> dict[str, Any] | None:
    """Positions of the dated events on a horizontal time axis, one row each, and yearly or monthly ticks."""
    dated = [e for e in t.events if e.date]
    if not dated:
        return None
    first = min(first_day(e.date or "") for e in dated)
    last = max(last_day(e.date or "") for e in dated)
    days = max(1, (last - first).days)
    left, right = AXIS["left"], AXIS["right"]

    def x(d: dt.date) -> float:
        return round(left + (right - left) * (d - first).days / days, 1)

    marks = []
    for k, e in enumerate(dated):
        start, end = first_day(e.date or ""), last_day(e.date or "")
        category = REGISTRY[e.category]
        marks.append({
            "id": e.id, "label": e.label, "short": e.label[:48], "x": x(start), "y": AXIS["top"] + k * AXIS["row"],
            "span": round(x(end) - x(start), 1) if end > start else 0, "colour": category.colour,
            "round": e.category == "trips",
        })  # fmt: skip
    base = AXIS["top"] + len(dated) * AXIS["row"]
    step = 12 if days > 3 * 365 else 1
    ticks, month = [], dt.date(first.year, first.month, 1)
    while month <= last:
        if month >= first and (month.month - 1) % step == 0:
            ticks.append({"x": x(month), "label": month.strftime("%b %Y") if step == 1 else str(month.year)})
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return {"width": AXIS["width"], "height": base + 30, "left": left, "right": right, "base": base, "ticks": ticks,
            "marks": marks}  # fmt: skip


def to_html(t: Timeline, title: str = "Timeline") -> str:
    kinds = [{"name": REGISTRY[c].name, "colour": REGISTRY[c].colour, "round": c == "trips"} for c in EVENT_CATEGORIES]
    kind_of = {c: "trip" if c == "trips" else "summit" for c in EVENT_CATEGORIES}
    return environment().get_template("timeline.html.j2").render(title=title, timeline=t, axis=_axis(t), kinds=kinds,
                                                        kind_of=kind_of)  # fmt: skip


RENDERERS: dict[TimelineFormat, Callable[[Timeline], str]] = {
    "markdown": lambda t: to_markdown(t) + "\n",
    "json": lambda t: t.model_dump_json(indent=2) + "\n",
    "csv": to_csv,
    "html": to_html,
}


def render_timeline(t: Timeline, fmt: TimelineFormat) -> str:
    return RENDERERS[fmt](t)
