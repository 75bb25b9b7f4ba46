"""A :class:`~summarizer.timeline.Timeline` as markdown, JSON or CSV.

Markdown: one table, events by date (undated last), each with its history (every article's status and time
expression as written, oldest first) and conflicts, then per event its evidence (article, record, offsets,
quote). JSON: the timeline model as is. CSV: one row per event, lists joined with ``; `` (the columns are
:data:`CSV_COLUMNS`), for spreadsheets.
"""

from __future__ import annotations

import csv
import io
from typing import Literal

from .timeline import Event, Timeline

TimelineFormat = Literal["markdown", "json", "csv"]
TIMELINE_FORMATS: tuple[TimelineFormat, ...] = ("markdown", "json", "csv")
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


def render_timeline(t: Timeline, fmt: TimelineFormat) -> str:
    if fmt == "json":
        return t.model_dump_json(indent=2) + "\n"
    if fmt == "csv":
        return to_csv(t)
    return to_markdown(t) + "\n"
