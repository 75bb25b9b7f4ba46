"""Output formats: a readable markdown digest, JSON (one document per article), JSON Lines, and PLOVER event
records as JSON Lines (one line per event, :mod:`summarizer.plover`).

Rule: a format not in :data:`FORMATS` (the names of :data:`summarizer.choices.FormatName`) is an
:class:`~summarizer.errors.UnknownChoiceError` naming the choices, never a fallback to another format.
"""

from __future__ import annotations

import json
from typing import Any

from .categories import REGISTRY
from .choices import FORMAT_NAMES
from .errors import UnknownChoiceError
from .htmlview import render_html
from .plover import to_plover
from .schemas import ArticleSummary, Grounding

FORMATS = FORMAT_NAMES


def check_format(fmt: str) -> None:
    """Raise :class:`UnknownChoiceError` unless ``fmt`` is one of :data:`FORMATS`."""
    if fmt not in FORMATS:
        raise UnknownChoiceError("format", fmt, FORMATS)


def _evidence(rec: Grounding) -> list[str]:
    lines = []
    for span in rec.spans:
        where = f"chars {span.start}–{span.end}, {span.method}" if span.start is not None else "not found in article"
        lines.append(f"  > {span.quote} _[{where}]_")
    return lines


def to_markdown(result: ArticleSummary, title: str | None = None) -> str:
    """The digest: the summary, then each category as a list with status, dates and evidence."""
    out = [f"# {title}" if title else "# Summary", "", result.summary.strip(), ""]
    for name, records in result.records().items():
        out.append(f"## {name.capitalize()} ({len(records)})")
        out.append("")
        if not records:
            out.append("_none_")
        for rec in records:
            flag = "" if rec.grounded else " ⚠ _ungrounded_"
            out.append(f"- {REGISTRY[name].headline(rec)}{flag}")
            out.extend(_evidence(rec))
        out.append("")
    if result.meta and result.meta.withheld:
        out.append(f"## Withheld from the model ({len(result.meta.withheld)}): text addressed to a language model")
        out.append("")
        out.extend(f"  > {span.quote} _[chars {span.start}–{span.end}]_" for span in result.meta.withheld)
        out.append("")
    if result.meta:
        m = result.meta
        chunks = f" · {m.chunks} chunks" if m.chunks > 1 else ""
        out.append(
            f"_{m.model} ({m.backend}, {m.pipeline}) · {m.usage.prompt_tokens} tokens in, "
            f"{m.usage.completion_tokens} out · {m.seconds:.1f} s{chunks}_"
        )
    return "\n".join(out).rstrip() + "\n"


def to_json(result: ArticleSummary, source: str | None = None, indent: int | None = 2) -> str:
    data: dict[str, Any] = {"source": source} if source else {}
    data.update(result.model_dump(mode="json"))
    return json.dumps(data, ensure_ascii=False, indent=indent)


def render(result: ArticleSummary, fmt: str, source: str | None = None) -> str:
    """``result`` as text in ``fmt``, ending in a newline (JSON Lines: on one line; plover: a line per event, the
    source as the article id, nothing for an article without records)."""
    check_format(fmt)
    if fmt == "markdown":
        return to_markdown(result, source)
    if fmt == "plover":
        return to_plover(result, source)
    if fmt == "html":  # without the article's text: the records, no highlighted evidence (summarizer.htmlview)
        return render_html([(source or "article", "", result)])
    return to_json(result, source, indent=2 if fmt == "json" else None) + "\n"
