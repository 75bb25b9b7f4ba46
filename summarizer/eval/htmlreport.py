"""The eval report as one HTML page: ``summarizer eval --report html -o FILE`` (also with ``--compare A B``).

Rules:

- One self-contained page (``templates/report.html.j2``): inline CSS and SVG charts (:mod:`summarizer.svgcharts`),
  a few lines of inline JS that only add emphasis, nothing fetched from anywhere. It reads with JS off: evidence
  links are anchors to the highlights, which ``:target`` marks.
- Text from articles, gold files, logs and models is escaped: the template autoescapes, and the only markup built
  here (the highlighted article text, the bold names of headlines) is assembled from escaped pieces. No ``|safe``.
- The categories are :data:`summarizer.categories.REGISTRY`'s, in its order, with its colours and line styles.
- Articles are ordered by the run's per-article F1, worst first; with ``other`` (a baseline run A, ``log`` being
  B), by the change from A to B, regressions first (:func:`summarizer.eval.report.compare`), then the articles
  only ``log`` has. The details shown per article are ``log``'s.
- Per article: matched pairs (gold and predicted headline side by side, similarity, field agreement), missed gold
  records, spurious predictions, and the article text with evidence marked: each gold quote where it occurs
  verbatim (:func:`~summarizer.eval.match.gold_spans`), each predicted span at its offsets. The text is cut at every
  span boundary; each piece of a span is a ``<mark>`` whose ``data-start``/``data-end`` are the piece's offsets,
  so its text is ``article[start:end]``; overlapping spans nest (gold outside). A span outside the text is not marked.
- The pairs are the log's (``scores.per_article``), so the page shows what the scores counted: the caller scores
  the log against the cases it passes (a fresh run, or a re-scored log). An article without a gold case keeps its
  scores but shows no records; a pair pointing past the records is dropped.

Ids and attributes (links, browser tests); ``A`` an article id, ``C`` a category, ``i``/``j`` a predicted/gold
record's index in its category, ``k`` a quote's index in its record, ``n`` a piece's index in its quote's span:

- ``#run``; ``#charts`` with figures ``#chart-categories``, ``#chart-quarters``, ``#chart-fields-C``,
  ``#chart-extras``; ``#scores``; ``#compare-metrics`` (with ``other``); ``#articles`` with ``#articles-table``
  (one ``tr.article-row[data-article=A]`` per article, linking to its section); ``section.article#article-A``.
- Record rows ``tr.record`` with class ``matched``, ``missed`` or ``spurious`` and ``data-category=C``; a row with a
  prediction has ``data-record="C-i"``, a row with a gold record ``data-gold="C-j"``.
- Highlights ``mark.hl`` with class ``gold`` or ``pred`` and ``cat-C``, ``data-gold="C-j"`` or
  ``data-record="C-i"``, ``data-start``, ``data-end``, ``id="hl-A-gold-C-j-k-n"`` or ``"hl-A-pred-C-i-k-n"``;
  a row's evidence links point at piece 0 of each quote. Clicking a row marks its highlights ``.active``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from ..categories import REGISTRY
from ..htmlview import cuts, environment
from ..schemas import ArticleSummary
from ..svgcharts import bar_chart, grouped_bars
from .gold import GoldCase
from .match import gold_spans
from .report import Delta, compare
from .runlog import CaseRecord, RunLog
from .score import CaseScore, Counts, PairResult, Scores

METRIC_COLOURS = ["#56B4E9", "#D55E00", "#000000"]  # precision, recall, F1: Okabe–Ito, apart from the categories'
RUN_COLOURS = ["#999999", "#D55E00"]  # run A, run B


@dataclass(frozen=True)
class Mark:
    """One evidence span of one record, in the article text."""

    kind: str  # "gold" or "pred"
    category: str
    record: int
    quote: int
    start: int
    end: int

    def piece_id(self, article: str, piece: int = 0) -> str:
        return f"hl-{article}-{self.kind}-{self.category}-{self.record}-{self.quote}-{piece}"


@dataclass(frozen=True)
class Quote:
    text: str
    target: str | None  # the id of its highlight's first piece; None: not in the article


@dataclass(frozen=True)
class Side:
    """A record on one side of a row: its ``C-i`` key, headline and quotes."""

    key: str
    headline: Markup
    quotes: list[Quote]
    optional: bool = False


@dataclass(frozen=True)
class FieldAgreement:
    name: str
    score: float
    gold: str
    pred: str


@dataclass(frozen=True)
class Row:
    kind: str  # "matched", "missed" or "spurious"
    category: str
    gold: Side | None
    pred: Side | None
    similarity: float | None = None
    fields: list[FieldAgreement] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleView:
    record: CaseRecord
    score: CaseScore | None
    case: GoldCase | None
    rows: list[Row]
    text: Markup | None
    other_f1: float | None

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def counts(self) -> Counts:
        return self.score.total if self.score is not None else Counts()


@dataclass(frozen=True)
class Chart:
    id: str
    caption: str
    svg: Markup


def headline(category: str, record: Any) -> Markup:
    """The category's one-line headline, its ``**bold**`` parts as ``<strong>``, every part escaped."""
    parts = REGISTRY[category].headline(record).split("**")
    return Markup("").join(Markup("<strong>{}</strong>").format(p) if i % 2 else escape(p) for i, p in enumerate(parts))


def evidence_marks(text: str, gold: dict[str, list[Any]], prediction: ArticleSummary | None) -> list[Mark]:
    """Gold quotes found verbatim, and predicted spans that lie inside ``text`` (see the module docstring)."""
    marks = [
        Mark("gold", cat, j, k, start, end)
        for cat, records in gold.items()
        for j, rec in enumerate(records)
        for k, q in enumerate(rec.evidence)
        for start, end in gold_spans(text, [q])[:1]
    ]
    return marks + [
        Mark("pred", cat, i, k, s.start, s.end)
        for cat, preds in (prediction.records() if prediction else {}).items()
        for i, pred in enumerate(preds)
        for k, s in enumerate(pred.spans)
        if s.start is not None and s.end is not None and 0 <= s.start < s.end <= len(text)
    ]


def highlight(text: str, marks: Sequence[Mark], article: str) -> Markup:
    """``text`` escaped, cut at every span boundary, each piece inside the ``<mark>`` of every span covering it."""
    pieces: dict[Mark, int] = {}
    out: list[Markup] = []
    for lo, hi, indexes in cuts(len(text), [(m.start, m.end) for m in marks]):
        inner = escape(text[lo:hi])
        covering = [marks[k] for k in indexes]
        for m in sorted(covering, key=lambda m: (m.kind != "gold", m.start, -m.end), reverse=True):
            n = pieces[m] = pieces.get(m, -1) + 1
            inner = Markup(
                '<mark id="{}" class="hl {} cat-{}" data-{}="{}-{}" data-start="{}" data-end="{}">{}</mark>'
            ).format(m.piece_id(article, n), m.kind, m.category, "record" if m.kind == "pred" else "gold",
                     m.category, m.record, lo, hi, inner)  # fmt: skip
        out.append(inner)
    return Markup("").join(out)


def _value(x: object) -> str:
    return "—" if x is None else ", ".join(map(str, x)) if isinstance(x, list) else str(x)


def _quotes(kind: str, cat: str, index: int, quotes: list[str], marked: set[Mark], article: str) -> list[Quote]:
    first = {m.quote: m for m in marked if (m.kind, m.category, m.record) == (kind, cat, index)}
    return [Quote(q, first[k].piece_id(article) if k in first else None) for k, q in enumerate(quotes)]


def _rows(case: GoldCase, prediction: ArticleSummary | None, score: CaseScore | None, marks: list[Mark]) -> list[Row]:
    """Matched pairs, missed gold and spurious predictions, per category (see the module docstring)."""
    golds, preds = case.gold.records(), prediction.records() if prediction else {}
    marked, aid = set(marks), case.id

    def gold_side(cat: str, j: int) -> Side:
        rec = golds[cat][j]
        return Side(f"{cat}-{j}", headline(cat, rec), _quotes("gold", cat, j, rec.evidence, marked, aid), rec.optional)

    def pred_side(cat: str, i: int) -> Side:
        rec = preds[cat][i]
        texts = [s.quote for s in rec.spans] if rec.spans else list(rec.evidence)
        return Side(f"{cat}-{i}", headline(cat, rec), _quotes("pred", cat, i, texts, marked, aid))

    rows: list[Row] = []
    for cat in REGISTRY:
        g, p = golds.get(cat, []), preds.get(cat, [])
        pairs = [x for x in (score.pairs.get(cat, []) if score else []) if x.gold < len(g) and x.pred < len(p)]
        rows += [Row("matched", cat, gold_side(cat, x.gold), pred_side(cat, x.pred), x.similarity,
                     _fields(x, g[x.gold], p[x.pred])) for x in pairs]  # fmt: skip
        matched_gold, matched_pred = {x.gold for x in pairs}, {x.pred for x in pairs}
        rows += [Row("missed", cat, gold_side(cat, j), None) for j in range(len(g)) if j not in matched_gold]
        rows += [Row("spurious", cat, None, pred_side(cat, i)) for i in range(len(p)) if i not in matched_pred]
    return rows


def _fields(pair: PairResult, gold: Any, pred: Any) -> list[FieldAgreement]:
    return [
        FieldAgreement(f, s, _value(getattr(gold, f, None)), _value(getattr(pred, f, None)))
        for f, s in pair.fields.items()
    ]


def article_view(
    record: CaseRecord, case: GoldCase | None, score: CaseScore | None, other_f1: float | None
) -> ArticleView:
    """One article's section: its rows and highlighted text against ``case`` (none without a case)."""
    if case is None:
        return ArticleView(record, score, None, [], None, other_f1)
    marks = evidence_marks(case.article.text, case.gold.records(), record.prediction)
    rows = _rows(case, record.prediction, score, marks)
    return ArticleView(record, score, case, rows, highlight(case.article.text, marks, case.id), other_f1)


def _bars(title: str, labels: list[str], runs: list[tuple[str, list[float | None]]], colour: str | None = None) -> str:
    """One run: plain bars; two runs (A, B): grouped bars, A and B per label."""
    if len(runs) == 1:
        return bar_chart(list(zip(labels, runs[0][1], strict=True)), title=title, colours=[colour] if colour else None)
    groups = [(label, [(name, values[j]) for name, values in runs]) for j, label in enumerate(labels)]
    return grouped_bars(groups, RUN_COLOURS, title)


def _field_accuracy(s: Scores, cat: str, name: str) -> float | None:
    """A field's accuracy, None when no matched pair measured it."""
    score = s.categories[cat].fields.get(name) if cat in s.categories else None
    return score.accuracy if score is not None and score.support else None


def _extras(s: Scores) -> dict[str, float | None]:
    """Links, actors, places and timeline figures, those the run has."""
    out: dict[str, float | None] = {
        f"{cat}.{REGISTRY[cat].link} links F1": prf.f1 for cat, prf in s.links.items() if prf.tp + prf.fp + prf.fn
    }
    if s.actor_names:
        out[f"actors named as gold (n={s.actor_names.support})"] = s.actor_names.accuracy
    if s.place_codes:
        out[f"places' ISO codes (n={s.place_codes.support})"] = s.place_codes.accuracy
    return out | {f"timeline {t.timeline} F1": t.f1 for t in s.timelines if t.correct + t.wrong + t.missed}


def _category_chart(log: RunLog, other: RunLog | None) -> str:
    """Micro P, R and F1 per category and overall; with ``other``, the F1 of run A and run B."""
    names = [*log.scores.categories, "overall"]
    if other is None:
        prf = [c.micro for c in log.scores.categories.values()] + [log.scores.overall]
        groups = [(n, [("P", m.precision), ("R", m.recall), ("F1", m.f1)]) for n, m in zip(names, prf, strict=True)]
        return grouped_bars(groups, METRIC_COLOURS, "Precision, recall and F1 per category (micro)")
    f1s = [(run, [s.categories[c].micro.f1 if c in s.categories else None for c in names[:-1]] + [s.overall.f1])
           for run, s in (("A", other.scores), ("B", log.scores))]  # fmt: skip
    return _bars("F1 per category (micro), run A and run B", names, f1s)


def _field_chart(cat: str, runs: list[tuple[str, Scores]]) -> Chart:
    fields = runs[-1][1].categories[cat].fields
    labels = [f"{f} (n={score.support})" for f, score in fields.items()]
    values = [(n, [_field_accuracy(s, cat, f) for f in fields]) for n, s in runs]
    title = f"{cat}: field accuracy on matched pairs"
    return Chart(f"chart-fields-{cat}", title, Markup(_bars(title, labels, values, REGISTRY[cat].colour)))


def charts(log: RunLog, other: RunLog | None = None) -> list[Chart]:
    """The figures of the page: with ``other``, run A (``other``) and run B (``log``) side by side."""
    runs = [("A", other.scores), ("B", log.scores)] if other is not None else [("", log.scores)]
    quarters = [(n, (s.recall_by_quarter + [None] * 4)[:4]) for n, s in runs]
    out = [
        Chart("chart-categories", "Records per category", Markup(_category_chart(log, other))),
        Chart("chart-quarters", "Recall of required gold records by the article quarter where their first quote "
              "starts", Markup(_bars("Recall by article quarter", [f"quarter {i + 1}" for i in range(4)], quarters))),
    ]  # fmt: skip
    out += [_field_chart(cat, runs) for cat in log.scores.categories]
    extras = _extras(log.scores)
    if extras:
        values = [(n, [_extras(s).get(k) for k in extras]) for n, s in runs]
        svg = _bars("Links, actors, places, timelines", list(extras), values)
        out.append(Chart("chart-extras", "Links, actors, places and timelines", Markup(svg)))
    return out


def _order(views: list[ArticleView], deltas: list[Delta] | None) -> list[ArticleView]:
    if deltas is None:
        return sorted(views, key=lambda v: (v.counts.f1, v.id))
    rank = {d.name: i for i, d in enumerate(deltas)}
    return sorted(views, key=lambda v: (rank.get(v.id, len(rank)), v.counts.f1, v.id))


def render_report(log: RunLog, cases: list[GoldCase], *, other: RunLog | None = None) -> str:
    """The report page for ``log``, whose scores were computed against ``cases``; with ``other``, the page compares
    run A (``other``) with run B (``log``)."""
    by_id = {c.id: c for c in cases}
    scores = {s.id: s for s in log.scores.per_article}
    metric_deltas, article_deltas = compare(other, log) if other is not None else ([], [])
    other_f1 = {s.id: s.total.f1 for s in other.scores.per_article} if other is not None else {}
    views = [article_view(r, by_id.get(r.id), scores.get(r.id), other_f1.get(r.id)) for r in log.cases]
    order = _order(views, article_deltas if other is not None else None)
    page = environment().get_template("report.html.j2")
    return page.render(log=log, other=other, charts=charts(log, other), metric_deltas=metric_deltas,
                       articles=order, categories=list(REGISTRY.values()))  # fmt: skip


__all__ = ["article_view", "charts", "evidence_marks", "headline", "highlight", "render_report"]
