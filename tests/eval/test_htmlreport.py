"""The HTML eval report: one page that loads nothing, marks evidence at the right offsets, shows hostile article and
model text as text, puts regressions first when comparing, and is written by ``summarizer eval --report html``."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.align import Aligner
from summarizer.categories import REGISTRY
from summarizer.cli import app
from summarizer.config import Settings
from summarizer.eval.gold import GoldCase, load_gold_dir
from summarizer.eval.htmlreport import render_report
from summarizer.eval.match import gold_spans
from summarizer.eval.report import compare
from summarizer.eval.runlog import CaseRecord, RunLog
from summarizer.eval.runner import evaluate, replay_settings, rescore
from summarizer.eval.score import score
from summarizer.schemas import ArticleSummary, Trip

from ..support.paths import ROOT

IDS = ("seed-000", "seed-001", "dev-25-fed-meeting")
VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "source", "col", "area", "base", "embed", "param", "track"}
URL = re.compile(r"https?://[^\s\"'<>]+")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)
    parent: Element | None = None

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self) -> Iterator[Element]:
        yield self
        for c in self.children:
            yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [e for e in self.iter() if (tag is None or e.tag == tag) and (cls is None or cls in e.classes())]

    def inside(self, cls: str) -> bool:
        e = self.parent
        while e is not None:
            if cls in e.classes():
                return True
            e = e.parent
        return False


class Page(HTMLParser):
    """The page as a tree (every element's text is all the text inside it), with the parser's complaints."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.problems: list[str] = []
        self.data: list[tuple[Element, str]] = []  # each text chunk with the element it sits in
        self.feed(html)
        self.close()
        if len(self.stack) != 1:
            self.problems.append(f"unclosed: {[e.tag for e in self.stack[1:]]}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        e = Element(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(e)
        if tag not in VOID:
            self.stack.append(e)

    def handle_endtag(self, tag: str) -> None:
        if self.stack[-1].tag != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1].tag}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.data.append((self.stack[-1], data))
        for e in self.stack:
            e.text += data

    def by_id(self, id_: str) -> Element:
        (e,) = [e for e in self.root.iter() if e.attrs.get("id") == id_]
        return e

    def one(self, tag: str) -> Element:
        (e,) = self.root.find_all(tag)
        return e


@pytest.fixture(scope="module")
def run() -> tuple[RunLog, list[GoldCase]]:
    """A replayed eval of three gold articles (the committed cassettes of the cited pipeline)."""
    with pytest.MonkeyPatch.context() as mp:
        for k in ("OPENAI_BASE_URL", "SUMMARIZER_BASE_URL", "SUMMARIZER_PIPELINE", "SUMMARIZER_MODEL"):
            mp.delenv(k, raising=False)
        cases = [c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT) if c.id in IDS]
        log = evaluate(
            cases,
            replay_settings(Settings(pipeline="cited")),
            live=False,
            cassette_dir=ROOT / "cassettes" / "eval" / "cited",
            gold_dir=ROOT / "evals" / "gold",
        )
    return log, cases


@pytest.fixture(scope="module")
def page(run: tuple[RunLog, list[GoldCase]]) -> tuple[str, Page]:
    html = render_report(*run)
    return html, Page(html)


def check_loads_nothing(html: str, page: Page, texts: list[str]) -> None:
    """Well-formed; no tag that fetches; no URL in any attribute; a URL in the text only where an article has it."""
    assert page.problems == []
    assert html.startswith("<!doctype html>")
    elements = list(page.root.iter())
    assert not [e.tag for e in elements if e.tag in ("img", "link", "iframe", "object", "embed", "base", "form")]
    assert "src" not in page.one("script").attrs  # the one script: the page's own, inline
    assert not [(e.tag, k) for e in elements for k in e.attrs if k.startswith("on")]
    assert not [v for e in elements for v in e.attrs.values() if URL.search(v) or ("url(" in v and "url(#" not in v)]
    assert all(e.attrs["href"].startswith("#") for e in elements if "href" in e.attrs)
    ids = [e.attrs["id"] for e in elements if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    assert {e.attrs["href"][1:] for e in elements if "href" in e.attrs} <= set(ids)  # every link lands on the page
    for _, chunk in page.data:
        assert all(any(u in t for t in texts) for u in URL.findall(chunk)), chunk
    style = "".join(e.text for e in elements if e.tag == "style")
    assert "@import" not in style and not re.search(r"url\((?!#)", style)


def test_the_page_parses_and_loads_nothing(page: tuple[str, Page], run: tuple[RunLog, list[GoldCase]]) -> None:
    html, parsed = page
    check_loads_nothing(html, parsed, [c.article.text for c in run[1]])
    header = parsed.by_id("run").text
    log = run[0]
    assert all(x in header for x in (log.model, log.pipeline, log.mode, f"{log.created:%Y-%m-%d}", "articles"))
    figures = {e.attrs["id"] for e in parsed.root.find_all("figure")}
    assert {"chart-categories", "chart-quarters", "chart-extras"} | {f"chart-fields-{c}" for c in REGISTRY} == figures
    assert all(e.find_all("svg") for e in parsed.root.find_all("figure"))


def test_articles_are_listed_worst_first_each_linking_to_its_section(
    page: tuple[str, Page], run: tuple[RunLog, list[GoldCase]]
) -> None:
    _, parsed = page
    rows = parsed.by_id("articles-table").find_all("tr", "article-row")
    f1 = {s.id: s.total.f1 for s in run[0].scores.per_article}
    order = [r.attrs["data-article"] for r in rows]
    assert sorted(order) == sorted(IDS) and order == sorted(order, key=lambda a: (f1[a], a))
    assert f1[order[0]] < f1[order[-1]]
    sections = [e.attrs["id"] for e in parsed.root.find_all("section", "article")]
    assert sections == [f"article-{a}" for a in order]
    assert [r.find_all("a")[0].attrs["href"] for r in rows] == [f"#article-{a}" for a in order]


def test_each_record_has_its_row_and_each_pair_the_scores(
    page: tuple[str, Page], run: tuple[RunLog, list[GoldCase]]
) -> None:
    _, parsed = page
    log, cases = run
    for case in cases:
        section = parsed.by_id(f"article-{case.id}")
        (record,) = [r for r in log.cases if r.id == case.id]
        (scored,) = [s for s in log.scores.per_article if s.id == case.id]
        preds = record.prediction.records() if record.prediction else {}
        rows = section.find_all("tr", "record")
        want_pred = sorted(f"{c}-{i}" for c, rs in preds.items() for i in range(len(rs)))
        want_gold = sorted(f"{c}-{j}" for c, rs in case.gold.records().items() for j in range(len(rs)))
        assert sorted(r.attrs["data-record"] for r in rows if "data-record" in r.attrs) == want_pred
        assert sorted(r.attrs["data-gold"] for r in rows if "data-gold" in r.attrs) == want_gold
        matched = {(r.attrs["data-record"], r.attrs["data-gold"]) for r in rows if "matched" in r.classes()}
        assert matched == {(f"{c}-{p.pred}", f"{c}-{p.gold}") for c, ps in scored.pairs.items() for p in ps}
        assert len(section.find_all("tr", "spurious")) == scored.total.fp


def test_every_highlight_is_the_article_text_at_its_offsets(
    page: tuple[str, Page], run: tuple[RunLog, list[GoldCase]]
) -> None:
    _, parsed = page
    log, cases = run
    kinds: set[str] = set()
    for case in cases:
        text = case.article.text
        marks = parsed.by_id(f"article-{case.id}").find_all("mark", "hl")
        spans: dict[str, list[tuple[int, int]]] = {}
        for m in marks:
            start, end = int(m.attrs["data-start"]), int(m.attrs["data-end"])
            assert m.text == text[start:end] and m.inside("article-text")
            kind = "gold" if "gold" in m.classes() else "pred"
            key = m.attrs["data-gold"] if kind == "gold" else m.attrs["data-record"]
            assert m.attrs["id"].startswith(f"hl-{case.id}-{kind}-{key}-")
            kinds.add(kind)
            spans.setdefault(m.attrs["id"].rsplit("-", 1)[0], []).append((start, end))
        # the pieces of one quote's span are contiguous and make up the whole span
        for cat, records in case.gold.records().items():
            for j, rec in enumerate(records):
                for k, q in enumerate(rec.evidence):
                    pieces = spans[f"hl-{case.id}-gold-{cat}-{j}-{k}"]
                    assert all(a[1] == b[0] for a, b in pairwise(pieces))
                    assert [(pieces[0][0], pieces[-1][1])] == gold_spans(text, [q])
        (record,) = [r for r in log.cases if r.id == case.id]
        for cat, preds in (record.prediction.records() if record.prediction else {}).items():
            for i, pred in enumerate(preds):
                for k, s in enumerate(pred.spans):
                    if s.start is not None and s.end is not None:
                        pieces = spans[f"hl-{case.id}-pred-{cat}-{i}-{k}"]
                        assert (pieces[0][0], pieces[-1][1]) == (s.start, s.end)
    assert kinds == {"gold", "pred"}


HOSTILE = (
    'WASHINGTON – Secretary of State Mike Pompeo will travel to Pyongyang next month. <script>alert("x")</script> '
    'The ministry wrote "><img src=x onerror=alert(1)> in its statement, see https://evil.example/a.js for more. '
    "Critics doubt the trip will achieve anything </textarea><b>bold</b>."
)


def hostile_case(tmp_path: Path) -> tuple[RunLog, list[GoldCase]]:
    """An invented article and gold file full of markup, and a hand-built prediction of markup too."""
    (tmp_path / "gold").mkdir()
    (tmp_path / "a.txt").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("Nothing happened <img src=y onerror=alert(4)>.", encoding="utf-8")
    trip = {"traveler": "Mike <b>Pompeo</b>", "destinations": ["Pyongyang"], "status": "planned",
            "evidence": ['Pompeo will travel to Pyongyang next month. <script>alert("x")</script>']}  # fmt: skip
    base = {"format": "summarizer-gold/1", "trips": [], "summits": [], "commitments": [], "skepticism": []}
    gold = base | {"id": "hostile", "article": "a.txt", "summary": "<script>alert(2)</script>", "trips": [trip]}
    (tmp_path / "gold" / "hostile.json").write_text(json.dumps(gold), encoding="utf-8")
    (tmp_path / "gold" / "empty.json").write_text(json.dumps(base | {"id": "empty", "article": "empty.txt"}))
    cases = load_gold_dir(tmp_path / "gold", tmp_path)
    evidence = ['The ministry wrote "><img src=x onerror=alert(1)> in its statement', "Mike Pompeo will travel"]
    spans, grounded = Aligner(HOSTILE).ground(evidence)
    spurious = Trip(traveler='"><img src=x onerror=alert(3)>', destinations=["<i>Seoul</i>"], status="planned",
                    evidence=evidence[:1], spans=spans[:1], grounded=grounded)  # fmt: skip
    matched = Trip(traveler="Mike Pompeo", destinations=["Pyongyang"], status="planned", evidence=evidence[1:],
                   spans=spans[1:], grounded=grounded)  # fmt: skip
    prediction = ArticleSummary(summary="</script><script>alert(5)</script>", trips=[matched, spurious])
    predictions: list[ArticleSummary | None] = [None, prediction]  # sorted: empty, hostile
    records = [
        CaseRecord(id="empty", article="empty.txt", error="<img src=z onerror=alert(6)>", error_type="SchemaError"),
        CaseRecord(id="hostile", article="a.txt", prediction=prediction),
    ]
    log = RunLog(created=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), mode="replay", model="<b>m</b>",
                 pipeline="cited", prompts=[], settings={}, gold_dir="gold", cassette_dir="c", wall_seconds=1.0,
                 cases=records, scores=score(cases, predictions))  # fmt: skip
    return log, cases


def test_markup_in_articles_gold_and_predictions_is_shown_as_text(tmp_path: Path) -> None:
    log, cases = hostile_case(tmp_path)
    assert [len(s.pairs["trips"]) for s in log.scores.per_article] == [0, 1]
    html = render_report(log, cases)
    parsed = Page(html)
    check_loads_nothing(html, parsed, [c.article.text for c in cases])
    assert not [x for x in ("<img", "<script>alert", "<b>P", "<b>m", "<b>bold", "<i>", "</textarea>") if x in html]
    shown = sorted(t.text for t in parsed.root.find_all("div", "article-text"))
    assert shown == sorted(c.article.text for c in cases)
    section = parsed.by_id("article-hostile")
    assert "Mike <b>Pompeo</b>" in section.text and '"><img src=x onerror=alert(3)>' in section.text
    assert "<i>Seoul</i>" in section.text and "</script><script>alert(5)</script>" in section.text
    marks = section.find_all("mark", "hl")
    assert any('<script>alert("x")</script>' in m.text for m in marks if "gold" in m.classes())
    assert any("<img src=x onerror=alert(1)>" in m.text for m in marks if "pred" in m.classes())
    for m in marks:
        assert m.text == HOSTILE[int(m.attrs["data-start"]) : int(m.attrs["data-end"])]
    assert "<img src=z onerror=alert(6)>" in parsed.by_id("article-empty").text
    assert "<b>m</b>" in parsed.by_id("run").text


def test_the_template_marks_nothing_safe() -> None:
    templates = sorted((ROOT / "summarizer" / "templates").glob("report*"))
    assert templates and not [t for t in templates if re.search(r"\|\s*safe\b", t.read_text(encoding="utf-8"))]


def test_compare_puts_the_regression_first(run: tuple[RunLog, list[GoldCase]]) -> None:
    a, cases = run
    worse = [r.model_copy(update={"prediction": ArticleSummary(summary="x")}) if r.id == "seed-000" else r
             for r in a.cases]  # fmt: skip
    b = rescore(a.model_copy(update={"cases": worse}), cases)
    html = render_report(b, cases, other=a)
    parsed = Page(html)
    check_loads_nothing(html, parsed, [c.article.text for c in cases])
    rows = parsed.by_id("articles-table").find_all("tr", "article-row")
    assert rows[0].attrs["data-article"] == "seed-000" and "regressed" in rows[0].classes()
    assert "worse" in rows[0].text and not [r for r in rows[1:] if "regressed" in r.classes()]
    metric_deltas, _ = compare(a, b)
    metric_rows = parsed.by_id("compare-metrics").find_all("tr")[1:]
    assert len(metric_rows) == len(metric_deltas) and metric_deltas[0].regression > 0
    assert metric_rows[0].find_all("th")[0].text == metric_deltas[0].name and "regressed" in metric_rows[0].classes()
    chart = parsed.by_id("chart-categories")
    values = [t.text for t in chart.find_all("text") if "value" in t.classes()]
    assert values[:2] == [f"A {a.scores.categories[next(iter(REGISTRY))].micro.f1:.2f}",
                          f"B {b.scores.categories[next(iter(REGISTRY))].micro.f1:.2f}"]  # fmt: skip
    assert "run A" in parsed.by_id("run").text and "run B" in parsed.by_id("run").text


runner = CliRunner()


@pytest.fixture
def at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for k in ("OPENAI_BASE_URL", "SUMMARIZER_BASE_URL"):
        monkeypatch.delenv(k, raising=False)


@pytest.mark.usefixtures("at_repo_root")
def test_the_cli_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    r = runner.invoke(app, ["eval", "--only", "seed-000", "--no-save", "--report", "html", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and 'id="article-seed-000"' in html
    assert Page(html).problems == [] and f"report: {out}" in r.stderr
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.usefixtures("at_repo_root")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--report", "html"], "Error: --report html needs -o FILE\n"),
        (["-o", "x.html"], "Error: -o needs --report html\n"),
    ],
)
def test_report_and_output_go_together(args: list[str], message: str) -> None:
    r = runner.invoke(app, ["eval", "--only", "seed-000", "--no-save", *args])
    assert (r.exit_code, r.stderr) == (2, message)


@pytest.mark.usefixtures("at_repo_root")
def test_the_cli_compares_two_logs_in_a_report(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert runner.invoke(app, ["eval", "--only", "seed-000", "--runs", str(a)]).exit_code == 0
    assert runner.invoke(app, ["eval", "--only", "seed-000", "--only", "seed-001", "--runs", str(b)]).exit_code == 0
    (la,), (lb,) = a.glob("*.json"), b.glob("*.json")
    out = tmp_path / "compare.html"
    r = runner.invoke(app, ["eval", "--compare", str(la), str(lb), "--report", "html", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    parsed = Page(out.read_text(encoding="utf-8"))
    assert parsed.problems == [] and parsed.by_id("compare-metrics")
    rows = [e.attrs["data-article"] for e in parsed.by_id("articles-table").find_all("tr", "article-row")]
    assert rows[0] == "seed-000" and sorted(rows) == ["seed-000", "seed-001"]


def test_nothing_here_is_named_by_category() -> None:
    """The report reads the categories from the registry: neither module nor template names one."""
    sources = [ROOT / "summarizer" / "eval" / "htmlreport.py", ROOT / "summarizer" / "svgcharts.py"]
    sources += sorted((ROOT / "summarizer" / "templates").glob("report*"))
    for path in sources:
        words = set(re.findall(r"\w+", path.read_text(encoding="utf-8")))
        assert not words & set(REGISTRY), path
