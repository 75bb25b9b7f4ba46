"""Bar charts as inline SVG strings, for HTML pages that load nothing (:mod:`summarizer.eval.htmlreport`).

Rules:

- every label, series name and title is escaped, so text given to a chart is shown as text, never read as markup;
- nothing refers outside the chart: no images, fonts, stylesheets or scripts, and no ``xmlns`` (the HTML parser puts
  inline SVG in the SVG namespace); a fill may name one of the chart's own patterns, ``url(#…)``;
- each chart is ``role="img"`` with a ``<title>`` as its accessible name;
- bars are horizontal; a bar's length is value ÷ ``max_value`` of the bar area, clamped to [0, 1]; every value is
  also written beside its bar, so a chart reads in greyscale; a missing value (None) is written "n/a", with no bar;
- grouped bars: the series differ in colour *and* fill (solid, hatched, dotted, crossed, each lighter than the
  last), a legend names them, and each bar's text names its series;
- ids inside a chart (its title, its patterns) start with a prefix hashed from the chart's content, so several
  charts share a page without clashing, and the same chart is the same string every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from html import escape

WIDTH = 640
ROW = 22  # height of one bar_chart row
BAR = 14  # height of one bar
GAP = 10  # space between groups of bars
VALUE_W = 88  # room for the value text after the longest bar
LABEL_MAX = 34  # longer labels are cut, with an ellipsis (the full label is the text's tooltip)
TEXT = "#222222"
Row = tuple[str, float | None]


def _prefix(*content: object) -> str:
    return "c" + hashlib.sha1(repr(content).encode("utf-8")).hexdigest()[:10]


def _label_width(labels: Sequence[str]) -> int:
    longest = max((min(len(x), LABEL_MAX) for x in labels), default=0)
    return min(240, max(60, 7 * longest + 14))


def _number(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def bar_length(value: float | None, max_value: float, area: float) -> float:
    """The length of a bar for ``value`` in a bar area ``area`` wide (see the module docstring)."""
    if value is None or max_value <= 0:
        return 0.0
    return round(area * min(1.0, max(0.0, value / max_value)), 2)


def _open(prefix: str, title: str, height: int) -> str:
    return (
        f'<svg class="chart" role="img" aria-labelledby="{prefix}-title" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="system-ui, sans-serif" font-size="12" fill="{TEXT}">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
    )


def _label(x: float, y: float, label: str) -> str:
    shown = label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"
    tip = f"<title>{escape(label)}</title>" if shown != label else ""
    anchor = 'text-anchor="end" dominant-baseline="middle"'
    return f'<text class="label" x="{x}" y="{y}" {anchor}>{tip}{escape(shown)}</text>'


def _bar(x: float, y: float, length: float, value: float | None, fill: str, stroke: str, text: str) -> str:
    rect = ""
    if value is not None:
        rect = (
            f'<rect class="bar" x="{x}" y="{y}" width="{length}" height="{BAR}" fill="{escape(fill)}" '
            f'stroke="{escape(stroke)}" data-value="{value}"/>'
        )
    return (
        f'{rect}<text class="value" x="{x + length + 6}" y="{y + BAR / 2}" dominant-baseline="middle">'
        f"{escape(text)}</text>"
    )


def bar_chart(
    rows: Sequence[Row], *, title: str, max_value: float = 1.0, colours: list[str] | None = None, digits: int = 2
) -> str:
    """One horizontal bar per ``(label, value)`` row, in ``colours`` (cycled; default dark grey), values written."""
    prefix = _prefix("bar", title, list(rows), max_value, colours)
    label_w = _label_width([label for label, _ in rows])
    area = WIDTH - label_w - VALUE_W
    height = ROW * len(rows) + 8
    parts = [_open(prefix, title, height)]
    for i, (label, value) in enumerate(rows):
        colour = colours[i % len(colours)] if colours else "#555555"
        y = 4 + i * ROW
        parts.append(_label(label_w - 6, y + ROW / 2, label))
        length = bar_length(value, max_value, area)
        parts.append(_bar(label_w, y + (ROW - BAR) / 2, length, value, colour, colour, _number(value, digits)))
    parts.append("</svg>")
    return "".join(parts)


def _pattern(pid: str, index: int, colour: str) -> str:
    """Series ``index``'s fill: solid for the first, then hatched, dotted, crossed (see the module docstring)."""
    c = escape(colour)
    kind = index % 4
    if kind == 0:
        return ""
    tint = round(0.45 - 0.1 * (index // 4 % 3) - 0.1 * (kind - 1), 2)
    marks = {
        1: f'<line x1="0" y1="0" x2="0" y2="6" stroke="{c}" stroke-width="3"/>',
        2: f'<circle cx="3" cy="3" r="1.6" fill="{c}"/>',
        3: f'<path d="M0 3H6M3 0V6" stroke="{c}" stroke-width="1.5"/>',
    }[kind]
    rotate = ' patternTransform="rotate(45)"' if kind != 2 else ""
    return (
        f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse"{rotate}>'
        f'<rect width="6" height="6" fill="{c}" fill-opacity="{max(tint, 0.1)}"/>{marks}</pattern>'
    )


def _fill(pid: str, index: int, colour: str) -> str:
    return colour if index % 4 == 0 else f"url(#{pid})"


def grouped_bars(
    groups: Sequence[tuple[str, Sequence[Row]]],
    series_colours: list[str],
    title: str,
    *,
    max_value: float = 1.0,
    digits: int = 2,
) -> str:
    """Per group, one bar per ``(series, value)``; the n-th series of every group is drawn alike (colour
    ``series_colours[n]``, cycled, and the n-th fill), and a legend names the series of the longest group."""
    prefix = _prefix("grouped", title, [(g, list(rows)) for g, rows in groups], series_colours, max_value)
    series = [name for name, _ in max((rows for _, rows in groups), key=len, default=[])]
    colours = [series_colours[i % len(series_colours)] if series_colours else "#555555" for i in range(len(series))]
    label_w = _label_width([g for g, _ in groups])
    area = WIDTH - label_w - VALUE_W
    legend_h = ROW + 4
    heights = [len(rows) * (BAR + 2) + GAP for _, rows in groups]
    parts = [_open(prefix, title, legend_h + sum(heights) + 4), "<defs>"]
    parts += [_pattern(f"{prefix}-s{i}", i, c) for i, c in enumerate(colours)]
    parts.append('</defs><g class="legend">')
    x = float(label_w)
    for i, (name, colour) in enumerate(zip(series, colours, strict=True)):
        parts.append(
            f'<rect x="{x}" y="4" width="{BAR}" height="{BAR}" fill="{escape(_fill(f"{prefix}-s{i}", i, colour))}" '
            f'stroke="{escape(colour)}"/><text x="{x + BAR + 4}" y="{4 + BAR / 2}" dominant-baseline="middle">'
            f"{escape(name)}</text>"
        )
        x += BAR + 16 + 7 * len(name)
    parts.append("</g>")
    y = float(legend_h)
    for (group, rows), height in zip(groups, heights, strict=True):
        parts.append(f'<g class="group">{_label(label_w - 6, y + (height - GAP) / 2, group)}')
        for i, (name, value) in enumerate(rows):
            fill = _fill(f"{prefix}-s{i}", i, colours[i])
            length = bar_length(value, max_value, area)
            parts.append(_bar(label_w, y, length, value, fill, colours[i], f"{name} {_number(value, digits)}"))
            y += BAR + 2
        parts.append("</g>")
        y += GAP
    parts.append("</svg>")
    return "".join(parts)


__all__ = ["bar_chart", "bar_length", "grouped_bars"]
